using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Sweep.Web.Api;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The last live read of each open sweep page, shared by every page over that sweep: the prerender, the circuit that
/// follows it, a reload and a teammate's page. A page that finds one brings it up to date with the delta read
/// (<see cref="LiveSweepQuery.RefreshAsync"/>) instead of reading every trial again, and the pages share one set of
/// trial views instead of holding a copy each (10,000 trials are some 10 MB). Pages only read a read: its records are
/// replaced, never changed, and the collections behind its read-only interfaces must not be cast back and written. The
/// page checks access before it reads. Bounded by trials (<see cref="SweepApiOptions.SweepPageCacheTrials"/>), least
/// recently used first.
/// </summary>
public sealed class LiveSweepCache(IOptions<SweepApiOptions> options) : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions
    {
        SizeLimit = Math.Max(1, options.Value.SweepPageCacheTrials),
        CompactionPercentage = 0.25,
    });

    public LiveSweep? Get(Guid sweepId) => cache.TryGetValue(sweepId, out LiveSweep? live) ? live : null;

    /// <summary>
    /// Keeps <paramref name="live"/> in place of the sweep's entry. Two pages refreshing at once may leave the older of
    /// their reads; the next page then reads a few more rows since its watermark, never fewer.
    /// </summary>
    public void Set(LiveSweep live)
    {
        var trials = 1 + live.Detail.Trials.Count;
        if (trials > options.Value.SweepPageCacheTrials)
        {
            return;
        }

        cache.Set(live.Detail.Id, live, new MemoryCacheEntryOptions { Size = trials, SlidingExpiration = TimeSpan.FromMinutes(2) });
    }

    public void Remove(Guid sweepId) => cache.Remove(sweepId);

    public void Dispose() => cache.Dispose();
}

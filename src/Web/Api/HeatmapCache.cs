using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Sweep.Domain.Results;

namespace Sweep.Web.Api;

/// <summary>
/// The heatmap API's projections, one per sweep and query, each kept with the results version it was projected at
/// (ADR 0013): a read at the same version is answered without reading 10,000 trial rows again, and a newer version
/// replaces the entry. Bounded by cells (<see cref="SweepApiOptions.HeatmapCacheCells"/>), least recently used first.
/// A singleton: access is checked before the endpoint runs, and a projection is the same for every reader.
/// </summary>
public sealed class HeatmapCache(IOptions<SweepApiOptions> options) : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.HeatmapCacheCells), CompactionPercentage = 0.25 });
    private readonly bool enabled = options.Value.HeatmapCacheCells > 0;

    /// <summary>A <see cref="Heatmap"/> or <see cref="FacetedHeatmap"/> projected at <paramref name="version"/>, or null.</summary>
    public object? Get(Guid sweepId, string query, string version) =>
        cache.TryGetValue((sweepId, query), out Entry? entry) && entry!.Version == version ? entry.Projection : null;

    public void Set(Guid sweepId, string query, string version, object projection)
    {
        var cells = Cells(projection);
        if (enabled && cells <= options.Value.HeatmapCacheCells)
        {
            cache.Set((sweepId, query), new Entry(version, projection), new MemoryCacheEntryOptions
            {
                Size = cells,
                SlidingExpiration = TimeSpan.FromMinutes(10),
            });
        }
    }

    public void Dispose() => cache.Dispose();

    /// <summary>The entry's weight: its cells, and a cell's worth for every ten trial ids it carries.</summary>
    private static long Cells(object projection)
    {
        static long Of(Heatmap map) =>
            1 + map.X.Count * (long)map.Y.Count + map.Trials.Sum(row => row.Sum(cell => (long)cell.Count)) / 10;
        return projection switch
        {
            Heatmap map => Of(map),
            FacetedHeatmap faceted => faceted.Panels.Sum(p => Of(p.Map)),
            _ => throw new ArgumentException($"Not a heatmap: {projection.GetType().Name}", nameof(projection)),
        };
    }

    private sealed record Entry(string Version, object Projection);
}

using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The sweep page's live read: the whole sweep once, then on each tick only the trial rows written since the last
/// one. PostgreSQL stamps every row version with the transaction that wrote it (the xmin system column), and every
/// transaction older than a snapshot's xmin had ended before that snapshot was taken; so a read that notes its
/// snapshot's xmin first, and next time reads the rows stamped at or after it, misses no change and rereads only the
/// few rows that changed (and the running trials, whose leases are renewed). xmin is 32 bits and wraps: a watermark
/// that went backwards reads the whole sweep again.
/// </summary>
public sealed class LiveSweepQuery(IDbContextFactory<SweepDbContext> contexts, SweepDetailQuery details, LiveSweepCache shared)
{
    private const string WatermarkSql = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296";

    /// <summary>
    /// The whole sweep, as <see cref="SweepDetailQuery.GetAsync"/> reads it, with the watermark taken before it was
    /// read: the read another page left in <see cref="LiveSweepCache"/> brought up to date when there is one.
    /// </summary>
    public async Task<LiveSweep?> LoadLiveAsync(Guid id, CancellationToken ct) =>
        shared.Get(id) is { } last ? await RefreshAsync(last, ct) : await ReadWholeAsync(id, ct);

    /// <summary>
    /// The sweep again from <paramref name="previous"/>: the active workers, and the sweep's row and trials when they were
    /// written since the previous watermark, merged into the previous trials. The same detail instance when nothing changed.
    /// </summary>
    public async Task<LiveSweep?> RefreshAsync(LiveSweep previous, CancellationToken ct)
    {
        var watermark = await WatermarkAsync(ct);
        if (watermark < previous.Watermark)
        {
            return await ReadWholeAsync(previous.Detail.Id, ct);
        }

        var id = previous.Detail.Id;
        var since = previous.Watermark;
        await using var db = await contexts.CreateDbContextAsync(ct);

        // The sweep's row carries the same stamp as its trials: any column (state, grid, note, tags) written since.
        var stamp = await db.Database.SqlQuery<long>($"SELECT xmin::text::bigint AS \"Value\" FROM sweeps WHERE id = {id}").ToListAsync(ct);
        var changed = await db.Trials
            .FromSql($"SELECT * FROM trials WHERE sweep_id = {id} AND xmin::text::bigint >= {since}")
            .AsNoTracking()
            .Select(TrialViews.ViewOf)
            .ToListAsync(ct);
        var activeWorkers = await SweepDetailQuery.ActiveWorkersAsync(db, ct);
        var before = previous.Detail;
        if (stamp is [var row] && row < since && changed.Count == 0 && before.Progress.ActiveWorkers == activeWorkers)
        {
            return Keep(previous with { Watermark = watermark });
        }

        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null)
        {
            shared.Remove(id);
            return null;
        }

        var trials = Merge(before.Trials, await GuardMetrics.JoinAsync(contexts, changed, ct));
        return Keep(new LiveSweep(SweepDetailQuery.DetailOf(sweep, trials, activeWorkers), watermark));
    }

    private async Task<LiveSweep?> ReadWholeAsync(Guid id, CancellationToken ct)
    {
        var watermark = await WatermarkAsync(ct);
        return await details.GetAsync(id, ct) is { } detail ? Keep(new LiveSweep(detail, watermark)) : null;
    }

    private LiveSweep Keep(LiveSweep live)
    {
        shared.Set(live);
        return live;
    }

    private async Task<long> WatermarkAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.SqlQueryRaw<long>(WatermarkSql + " AS \"Value\"").SingleAsync(ct);
    }

    /// <summary>The previous trials with the changed ones replaced; trials new to the sweep (an extension) join in grid order.</summary>
    private static List<TrialView> Merge(IReadOnlyList<TrialView> previous, IReadOnlyList<TrialView> changed)
    {
        var byId = changed.ToDictionary(t => t.Id);
        var merged = previous.Select(t => byId.Remove(t.Id, out var now) ? now : t).ToList();
        if (byId.Count == 0)
        {
            return merged;
        }

        return merged.Concat(byId.Values)
            .OrderByGrid()
            .ToList();
    }
}

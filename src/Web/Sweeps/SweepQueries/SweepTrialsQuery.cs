using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Sweeps;

/// <summary>
/// A page of a sweep's trials, filtered by grid values and state, ordered by grid values or a final metric: GET
/// /api/v1/sweeps/{id}/trials. Access is checked before it gets here (ApiAccessMiddleware).
/// </summary>
public sealed class SweepTrialsQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>Null when there is no such sweep.</summary>
    public async Task<Page<TrialView>?> TrialsAsync(Guid sweepId, TrialFilter filter, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return null;
        }

        var query = Filtered(db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId), filter);
        var ordered = TrialOrder.Apply(query, filter.OrderBy, filter.Descending);
        var offset = Cursor.Decode(filter.Cursor);
        var rows = await ordered.ThenBy(t => t.Id).Skip(offset).Take(filter.Limit + 1).Select(TrialViews.ViewOf).ToListAsync(ct);
        var items = await GuardMetrics.JoinAsync(contexts, rows.Take(filter.Limit).ToList(), ct);
        return new Page<TrialView>(items, rows.Count > filter.Limit ? Cursor.Encode(offset + filter.Limit) : null);
    }

    /// <summary>The filter's conditions; each one left null matches every trial.</summary>
    private static IQueryable<TrialRecord> Filtered(IQueryable<TrialRecord> query, TrialFilter filter)
    {
        if (filter.State is { } state)
        {
            query = query.Where(t => t.State == state);
        }

        if (filter.BatchSize is { } b)
        {
            query = query.Where(t => t.BatchSize == b);
        }

        if (filter.GhostBatchSize is { } g)
        {
            query = query.Where(t => t.GhostBatchSize == g);
        }

        if (filter.RegimeMultiplier is { } r)
        {
            query = query.Where(t => t.RegimeMultiplier == r);
        }

        if (filter.Seed is { } seed)
        {
            query = query.Where(t => t.Seed == seed);
        }

        if (filter.LrScaling is { } rule)
        {
            query = query.Where(t => t.LrScaling == rule);
        }

        if (filter.GbnImplementation is { } gbn)
        {
            query = query.Where(t => t.GbnImplementation == gbn);
        }

        if (filter.RunningStats is { } stats)
        {
            query = query.Where(t => t.RunningStats == stats);
        }

        if (filter.MinValAccuracy is { } min)
        {
            query = query.Where(t => t.Final.ValAccuracy >= min);
        }

        return query;
    }
}

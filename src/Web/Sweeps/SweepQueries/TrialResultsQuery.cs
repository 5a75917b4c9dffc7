using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Every trial of a sweep as a result (its cell, state and final metrics with the guard inputs): what the heatmap API
/// and the cells export aggregate. Access is checked before it gets here (ApiAccessMiddleware).
/// </summary>
public sealed class TrialResultsQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>Null when there is no such sweep; metrics only for completed trials.</summary>
    public async Task<IReadOnlyList<TrialResult>?> ResultsAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return null;
        }

        // Only what a result needs: the config, environment and error text would be most of 10,000 rows' bytes.
        var trials = await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId)
            .Select(t => new TrialRecord
            {
                Id = t.Id, SweepId = t.SweepId, State = t.State, Final = t.Final,
                BatchSize = t.BatchSize, GhostBatchSize = t.GhostBatchSize, RegimeMultiplier = t.RegimeMultiplier, Seed = t.Seed,
                LrScaling = t.LrScaling, GbnImplementation = t.GbnImplementation, RunningStats = t.RunningStats,
            })
            .ToListAsync(ct);
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        var guards = await GuardMetrics.LatestAsync(contexts, completed.Select(t => t.Id).ToList(), ct);
        var results = trials.Select(t => new TrialResult(
            t.CellOf(),
            t.State,
            t.State == TrialState.Completed ? GuardMetrics.Join(TrialViews.Metrics(t.Final), guards, t.Id) : new Dictionary<string, double>()) { Id = t.Id }).ToList();
        return await GuardMetrics.CompleteAsync(contexts, results, ct);
    }
}

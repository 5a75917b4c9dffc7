using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Catalog;
using Sweep.Domain.Execution;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>What a researcher plans around while a sweep runs, and how good the builder's estimate turned out.</summary>
/// <param name="ActiveWorkers">Workers with a recent heartbeat that listen on a queue of this sweep.</param>
/// <param name="QueuedAhead">Queued trials of other active sweeps that workers take before this sweep's next one.</param>
/// <param name="EtaSeconds">Time until every queued and running trial is done; null when nothing is left or nothing is measured.</param>
/// <param name="EtaBasis">What the ETA's speed was measured on, in words.</param>
/// <param name="Outcome">After the run: the estimate against the time taken; null while trials are left or none completed.</param>
public sealed record SweepPlanProgress(int ActiveWorkers, int QueuedAhead, double? EtaSeconds, string? EtaBasis, EstimateOutcome? Outcome);

/// <param name="EstimatedSeconds">The builder's arithmetic on one worker, with the speed of other sweeps; null when none was measured.</param>
/// <param name="ActualSeconds">From the first start of any attempt to the last end.</param>
/// <param name="Workers">How many workers ran the sweep's attempts: the estimate is divided among them for the ratio.</param>
public sealed record EstimateOutcome(double? EstimatedSeconds, double ActualSeconds, int Workers)
{
    /// <summary>Actual over estimated, the estimate spread over <see cref="Workers"/>: 2.0 took twice as long as said.</summary>
    public double? Ratio => EstimatedSeconds is { } estimate ? SweepTimeEstimate.Ratio(estimate / Math.Max(1, Workers), ActualSeconds) : null;
}

/// <summary>
/// Reads a sweep's plan-ahead numbers (<see cref="SweepPlanProgress"/>). The queue position follows the order in
/// which workers serve trials (TrialQueues.ForWorker and the claim in Jobs' TrialStore): only queued trials of active
/// sweeps can be claimed; a higher priority tier is served first; within a tier, what was enqueued first (the
/// trials' creation time stands in for the enqueue time).
/// </summary>
public sealed class SweepProgressReader(IDbContextFactory<SweepDbContext> contexts, TrialSpeedReader speeds, TimeProvider clock)
{
    /// <summary>A worker whose heartbeat is older than this is not counted (the list of workers uses the same window).</summary>
    public static readonly TimeSpan HeartbeatWindow = TimeSpan.FromSeconds(60);

    public async Task<SweepPlanProgress?> ReadAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId).Select(s => new { s.Queue, s.Spec, s.Model, s.Dataset }).SingleOrDefaultAsync(ct);
        if (sweep is null)
        {
            return null;
        }

        var spec = SweepJson.Deserialize(sweep.Spec);
        var workers = await ActiveWorkersAsync(db, sweep.Queue, ct);
        var ahead = await QueuedAheadAsync(db, sweepId, sweep.Queue, ct);
        // Only the trials left are read: a finished 10,000-trial sweep reads none.
        var left = await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == sweepId && (t.State == TrialState.Queued || t.State == TrialState.Running))
            .ToListAsync(ct);
        var dataset = Datasets.Find(sweep.Dataset);

        double? eta = null;
        string? basis = null;
        if (left.Count > 0 && dataset is not null)
        {
            // This sweep's own completed trials say best how fast its trials run; before one completes, other sweeps'.
            var own = await speeds.MeasureAsync(sweep.Model, sweep.Dataset, null, onlySweep: sweepId, exceptSweep: null, ct);
            var rate = own ?? await speeds.MeasureAsync(sweep.Model, sweep.Dataset, spec.Device, ct);
            if (rate is not null)
            {
                var remaining = left.Select(t => new RemainingTrial(Data.Entities.TrialCells.CellOf(t), t.CurrentEpoch, t.TotalEpochs, t.State == TrialState.Running));
                eta = SweepTimeEstimate.Remaining(spec, remaining, dataset, rate.Speed, workers);
                basis = own is not null
                    ? $"this sweep's {rate.Trials:N0} completed {(rate.Trials == 1 ? "trial" : "trials")}"
                    : $"{rate.Trials:N0} completed {(rate.Trials == 1 ? "trial" : "trials")} of {sweep.Model} on {sweep.Dataset} in other sweeps";
            }
        }

        var outcome = left.Count == 0 && dataset is not null && await db.Trials.AnyAsync(t => t.SweepId == sweepId && t.State == TrialState.Completed, ct)
            ? await OutcomeAsync(db, sweepId, spec, sweep.Model, dataset, ct)
            : null;
        return new SweepPlanProgress(workers, ahead, eta, basis, outcome);
    }

    /// <summary>Workers alive now that listen on any of this sweep's queues (high, normal or low).</summary>
    public async Task<int> ActiveWorkersAsync(SweepDbContext db, string target, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - HeartbeatWindow;
        var queues = new[] { TrialQueues.For(target, 1), TrialQueues.For(target, 0), TrialQueues.For(target, -1) };
        var candidates = await db.Workers.AsNoTracking().Where(w => w.State == WorkerState.Active && w.HeartbeatAt > since).Select(w => w.Queues).ToListAsync(ct);
        return candidates.Count(q => q.Split(',', StringSplitOptions.TrimEntries).Intersect(queues).Any());
    }

    /// <summary>
    /// Queued trials of other active sweeps that come before this sweep's next trial: a higher priority, or the same
    /// one and created earlier. A sweep for any worker competes with every sweep; one for a device class with that
    /// class's sweeps and the shared ones. Zero when this sweep has nothing queued.
    /// </summary>
    public static async Task<int> QueuedAheadAsync(SweepDbContext db, Guid sweepId, string target, CancellationToken ct) =>
        (await db.Database.SqlQuery<int>(
            $"""
            WITH mine AS (
                SELECT priority, created_at FROM trials
                 WHERE sweep_id = {sweepId} AND state = 'queued'
                 ORDER BY priority DESC, created_at
                 LIMIT 1)
            SELECT count(o.id)::int AS "Value"
              FROM mine
              JOIN trials o ON o.state = 'queued' AND o.sweep_id <> {sweepId}
                           AND (o.priority > mine.priority OR (o.priority = mine.priority AND o.created_at < mine.created_at))
              JOIN sweeps s ON s.id = o.sweep_id AND s.state = 'active'
                           AND ({target} = {TrialQueues.Shared} OR s.queue IN ({target}, {TrialQueues.Shared}))
            """).ToListAsync(ct)).SingleOrDefault();

    /// <summary>
    /// The estimate recomputed from the stored spec with the builder's function and the speed of the other sweeps
    /// (this sweep's own trials would grade the estimate with its answer), against the attempts' first start and last end.
    /// </summary>
    private async Task<EstimateOutcome?> OutcomeAsync(SweepDbContext db, Guid sweepId, SweepSpec spec, string model, DatasetInfo dataset, CancellationToken ct)
    {
        var attempts = await db.TrialAttempts.AsNoTracking()
            .Where(a => db.Trials.Any(t => t.Id == a.TrialId && t.SweepId == sweepId))
            .Select(a => new { a.Worker, a.StartedAt, a.EndedAt })
            .ToListAsync(ct);
        var ended = attempts.Where(a => a.EndedAt is not null).ToList();
        if (ended.Count == 0)
        {
            return null;
        }

        var actual = (ended.Max(a => a.EndedAt!.Value) - attempts.Min(a => a.StartedAt)).TotalSeconds;
        var workers = attempts.Select(a => a.Worker).Distinct().Count();
        var rate = await speeds.MeasureAsync(model, dataset.Name, spec.Device, onlySweep: null, exceptSweep: sweepId, ct);
        var estimate = rate is null ? (double?)null : SweepTimeEstimate.Seconds(spec, GridExpander.Expand(spec).Cells, dataset, rate.Speed);
        return new EstimateOutcome(estimate, actual, workers);
    }
}

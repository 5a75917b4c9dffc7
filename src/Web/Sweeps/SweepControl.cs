using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

public enum ControlResult
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>
/// Pause, resume and cancel sweeps; cancel, retry and re-prioritize trials. Every action is one conditional UPDATE,
/// so it is safe against workers claiming and finishing trials at the same moment. Running trainers notice a
/// cancellation at their next lease renewal (every 2 s by default) and are stopped with their metrics kept.
/// </summary>
public sealed class SweepControl(IDbContextFactory<SweepDbContext> contexts, ITrialQueue queue)
{
    public async Task<ControlResult> PauseAsync(Guid sweepId, CancellationToken ct) =>
        await SetSweepStateAsync(sweepId, "paused", "active", ct);

    /// <summary>Reactivates the sweep and enqueues its queued trials again (jobs fetched while paused were dropped).</summary>
    public async Task<ControlResult> ResumeAsync(Guid sweepId, CancellationToken ct)
    {
        var result = await SetSweepStateAsync(sweepId, "active", "paused", ct);
        if (result == ControlResult.Done)
        {
            await EnqueueAsync(sweepId, TrialState.Queued, ct);
        }

        return result;
    }

    public async Task<ControlResult> CancelAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);

        // One statement, so the sweep and its unfinished trials change together without a user transaction.
        var cancelled = await db.Database.SqlQuery<int>(
            $"""
            WITH sweep AS (
                UPDATE sweeps SET state = 'cancelled' WHERE id = {sweepId} AND state <> 'cancelled' RETURNING id),
            trials AS (
                UPDATE trials SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
                  FROM sweep
                 WHERE trials.sweep_id = sweep.id AND trials.state IN ('queued', 'running')
                RETURNING trials.id)
            SELECT count(*)::int AS "Value" FROM sweep
            """).ToListAsync(ct); // Not composed: PostgreSQL allows data-modifying CTEs only at the top level.
        if (cancelled.Single() == 1)
        {
            return ControlResult.Done;
        }

        return await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct) ? ControlResult.Conflict : ControlResult.NotFound;
    }

    /// <summary>
    /// Deletes a sweep with its trials, metrics and checkpoints. Only a settled sweep can go: deleting one with
    /// queued or running trials would pull rows from under a worker, so the caller cancels it first (Conflict).
    /// </summary>
    public async Task<ControlResult> DeleteAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);

        // One statement: a trial that a worker claims at this instant keeps the sweep alive.
        var deleted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM sweeps WHERE id = {sweepId}
               AND NOT EXISTS (SELECT 1 FROM trials WHERE sweep_id = {sweepId} AND state IN ('queued', 'running'))
            """, ct);
        if (deleted == 1)
        {
            return ControlResult.Done;
        }

        return await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct) ? ControlResult.Conflict : ControlResult.NotFound;
    }

    /// <summary>Requeues every failed trial of the sweep (reactivating the sweep if it was cancelled).</summary>
    public async Task<(ControlResult Result, int Count)> RetryFailedAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return (ControlResult.NotFound, 0);
        }

        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE sweeps SET state = 'active' WHERE id = {sweepId}", ct);
        var ids = await RequeueAsync(db, sweepId, null, [TrialState.Failed], ct);
        await EnqueueAsync(sweepId, ids, ct);
        return (ControlResult.Done, ids.Count);
    }

    public async Task<ControlResult> CancelTrialAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var updated = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
             WHERE id = {trialId} AND state IN ('queued', 'running')
            """,
            ct);
        return updated == 1 ? ControlResult.Done : await TrialMissingOrConflict(db, trialId, ct);
    }

    /// <summary>
    /// Requeues a failed or cancelled trial. It resumes from its last checkpoint; <paramref name="fresh"/> deletes
    /// the checkpoint and the recorded metrics first, to start over.
    /// </summary>
    public async Task<ControlResult> RetryTrialAsync(Guid trialId, bool fresh, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweepId = await db.Trials.Where(t => t.Id == trialId).Select(t => (Guid?)t.SweepId).SingleOrDefaultAsync(ct);
        if (sweepId is null)
        {
            return ControlResult.NotFound;
        }

        if (fresh && !await db.Trials.AnyAsync(t => t.Id == trialId && (t.State == TrialState.Failed || t.State == TrialState.Cancelled), ct))
        {
            return ControlResult.Conflict;
        }

        if (fresh)
        {
            // Only a finished trial gets here, so no worker writes to these rows while they go.
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM trial_checkpoints WHERE trial_id = {trialId}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM metric_points WHERE trial_id = {trialId}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE trials SET current_epoch = 0 WHERE id = {trialId}", ct);
        }

        var ids = await RequeueAsync(db, sweepId.Value, trialId, [TrialState.Failed, TrialState.Cancelled], ct);
        if (ids.Count == 0)
        {
            return ControlResult.Conflict;
        }

        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE sweeps SET state = 'active' WHERE id = {sweepId} AND state = 'cancelled'", ct);
        await EnqueueAsync(sweepId.Value, ids, ct);
        return ControlResult.Done;
    }

    /// <summary>Moves a waiting trial to the high (1), normal (0) or low (−1) queue.</summary>
    public async Task<ControlResult> SetPriorityAsync(Guid trialId, int priority, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var trial = await db.Trials.AsNoTracking().Where(t => t.Id == trialId)
            .Select(t => new { t.SweepId, t.State }).SingleOrDefaultAsync(ct);
        if (trial is null)
        {
            return ControlResult.NotFound;
        }

        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE trials SET priority = {priority} WHERE id = {trialId}", ct);

        // A second job for the same trial is harmless: whichever runs first claims it, the other finds nothing to do.
        if (trial.State == TrialState.Queued)
        {
            await EnqueueAsync(trial.SweepId, [trialId], ct);
        }

        return ControlResult.Done;
    }

    private async Task<ControlResult> SetSweepStateAsync(Guid sweepId, string to, string from, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var updated = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE sweeps SET state = {to} WHERE id = {sweepId} AND state = {from}", ct);
        if (updated == 1)
        {
            return ControlResult.Done;
        }

        var state = await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.State).SingleOrDefaultAsync(ct);
        return state is null ? ControlResult.NotFound : state == to ? ControlResult.Done : ControlResult.Conflict;
    }

    private static async Task<List<Guid>> RequeueAsync(SweepDbContext db, Guid sweepId, Guid? trialId, string[] states, CancellationToken ct) =>
        await db.Database.SqlQuery<Guid>(
            $"""
            UPDATE trials SET state = 'queued', attempt = 0, error = NULL, failure_kind = NULL, finished_at = NULL, started_at = NULL,
                   lease_owner = NULL, lease_expires_at = NULL
             WHERE sweep_id = {sweepId} AND ({trialId}::uuid IS NULL OR id = {trialId}) AND state = ANY({states})
            RETURNING id AS "Value"
            """).ToListAsync(ct);

    private async Task EnqueueAsync(Guid sweepId, string state, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await db.Trials.Where(t => t.SweepId == sweepId && t.State == state).Select(t => t.Id).ToListAsync(ct);
        await EnqueueAsync(sweepId, ids, ct);
    }

    private async Task EnqueueAsync(Guid sweepId, IReadOnlyCollection<Guid> trialIds, CancellationToken ct)
    {
        if (trialIds.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var target = await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Queue).SingleAsync(ct);
        var priorities = await db.Trials.Where(t => trialIds.Contains(t.Id)).Select(t => new { t.Id, t.Priority }).ToListAsync(ct);
        queue.Enqueue(priorities.Select(p => (p.Id, p.Priority)), target);
    }

    private static async Task<ControlResult> TrialMissingOrConflict(SweepDbContext db, Guid trialId, CancellationToken ct) =>
        await db.Trials.AnyAsync(t => t.Id == trialId, ct) ? ControlResult.Conflict : ControlResult.NotFound;
}

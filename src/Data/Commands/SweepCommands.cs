using Microsoft.EntityFrameworkCore;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Commands;

/// <summary>
/// Every state change of a sweep row, each one conditional statement (docs/decisions/0009), safe against workers
/// claiming and finishing its trials at the same moment. False (or nothing returned): the sweep is missing or
/// not in a state the command applies to; the caller tells which. The transitions are listed in Domain's
/// StateTransitions.Sweep.
/// </summary>
public sealed class SweepCommands(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>Stops new trials from starting; running ones finish.</summary>
    public Task<bool> PauseAsync(Guid sweepId, CancellationToken ct) => MoveAsync(sweepId, from: SweepState.Active, to: SweepState.Paused, ct);

    /// <summary>Lets its queued trials be claimed again; the caller enqueues them (jobs fetched while paused were dropped).</summary>
    public Task<bool> ResumeAsync(Guid sweepId, CancellationToken ct) => MoveAsync(sweepId, from: SweepState.Paused, to: SweepState.Active, ct);

    /// <summary>Reopens a cancelled sweep explicitly (for example to run cells added to it); its cancelled trials stay cancelled.</summary>
    public Task<bool> ReactivateAsync(Guid sweepId, CancellationToken ct) => MoveAsync(sweepId, from: SweepState.Cancelled, to: SweepState.Active, ct);

    /// <summary>
    /// Cancels the sweep and its queued and running trials in one statement, so that no claim slips in between:
    /// a claim either lands first and is cancelled here, or finds the trial cancelled.
    /// </summary>
    public async Task<bool> CancelAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
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
        return cancelled.Single() == 1;
    }

    /// <summary>
    /// Deletes a settled sweep with its trials, metrics and checkpoints (cascade). One with queued or running
    /// trials stays: deleting it would pull rows from under a worker, and a trial claimed at this instant keeps it.
    /// </summary>
    public async Task<bool> DeleteAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM sweeps WHERE id = {sweepId}
               AND NOT EXISTS (SELECT 1 FROM trials WHERE sweep_id = {sweepId} AND state IN ('queued', 'running'))
            """,
            ct) == 1;
    }

    /// <summary>
    /// Requeues every failed trial of the sweep with a fresh attempt budget, and reopens the sweep if it was
    /// cancelled and a trial was requeued. A paused sweep stays paused: its trials wait for the resume. Returns
    /// the requeued trials, for the caller to enqueue.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> RetryFailedAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.SqlQuery<Guid>(
            $"""
            WITH requeued AS (
                UPDATE trials
                   SET state = 'queued', attempt = 0, error = NULL, failure_kind = NULL, finished_at = NULL, started_at = NULL,
                       lease_owner = NULL, lease_expires_at = NULL
                 WHERE sweep_id = {sweepId} AND state = 'failed'
                RETURNING id),
            reopened AS (
                UPDATE sweeps SET state = 'active'
                 WHERE id = {sweepId} AND state = 'cancelled' AND EXISTS (SELECT 1 FROM requeued))
            SELECT id AS "Value" FROM requeued
            """).ToListAsync(ct);
    }

    private async Task<bool> MoveAsync(Guid sweepId, string from, string to, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE sweeps SET state = {to} WHERE id = {sweepId} AND state = {from}", ct) == 1;
    }
}

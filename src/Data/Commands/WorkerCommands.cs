using Microsoft.EntityFrameworkCore;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Commands;

/// <summary>
/// Every change of a worker row (docs/decisions/0009): the worker registers, beats, counts outcomes, pauses itself
/// and stops; the API pauses and resumes it. The transitions are listed in Domain's StateTransitions.Worker.
/// </summary>
public sealed class WorkerCommands(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>
    /// Registers the worker, or re-registers it after a restart: active, with its failure count cleared, unless an
    /// administrator paused it, which a restart keeps (reason included). A pause the worker gave itself is cleared:
    /// restarting is how an operator says the device is fixed. Returns the state it starts in.
    /// </summary>
    public async Task<string> RegisterAsync(string name, string host, string device, string version, string queues, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var state = await db.Database.SqlQuery<string>(
            $"""
            INSERT INTO workers AS w (name, host, device, version, queues, state, consecutive_failures, trials_run, started_at, heartbeat_at)
            VALUES ({name}, {host}, {device}, {version}, {queues}, 'active', 0, 0, now(), now())
            ON CONFLICT (name) DO UPDATE
               SET host = excluded.host, device = excluded.device, version = excluded.version, queues = excluded.queues,
                   state = CASE WHEN w.paused_by = 'administrator' THEN 'paused' ELSE 'active' END,
                   paused_reason = CASE WHEN w.paused_by = 'administrator' THEN w.paused_reason END,
                   paused_by = CASE WHEN w.paused_by = 'administrator' THEN w.paused_by END,
                   current_trial_id = NULL, consecutive_failures = 0, started_at = now(), heartbeat_at = now()
            RETURNING state AS "Value"
            """).ToListAsync(ct);
        return state.Single();
    }

    /// <summary>Reports liveness and the current trial; returns the state, which the API may have changed. Null: no such worker.</summary>
    public async Task<string?> HeartbeatAsync(string name, Guid? currentTrial, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var state = await db.Database.SqlQuery<string>(
            $"""UPDATE workers SET heartbeat_at = now(), current_trial_id = {currentTrial} WHERE name = {name} RETURNING state AS "Value" """)
            .ToListAsync(ct);
        return state.SingleOrDefault();
    }

    /// <summary>Counts a finished trial; returns the failures in a row so far (0 after a success).</summary>
    public async Task<int> RecordOutcomeAsync(string name, bool failed, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var inARow = await db.Database.SqlQuery<int>(
            $"""
            UPDATE workers
               SET trials_run = trials_run + 1,
                   consecutive_failures = CASE WHEN {failed} THEN consecutive_failures + 1 ELSE 0 END
             WHERE name = {name}
            RETURNING consecutive_failures AS "Value"
            """).ToListAsync(ct);
        return inARow.Single();
    }

    /// <summary>
    /// Pauses a worker that is not stopped, saying who paused it (<see cref="WorkerPausedBy"/>) and why. The
    /// worker's own pause never replaces an administrator's, so that a restart still keeps that one. False: no such
    /// running worker, or an administrator's pause is already in place for a self-pause.
    /// </summary>
    public async Task<bool> PauseAsync(string name, string pausedBy, string reason, CancellationToken ct)
    {
        if (pausedBy is not (WorkerPausedBy.Administrator or WorkerPausedBy.Worker))
        {
            throw new ArgumentOutOfRangeException(nameof(pausedBy), pausedBy, "A worker is paused by the administrator or by the worker itself.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE workers SET state = 'paused', paused_reason = {reason}, paused_by = {pausedBy}
             WHERE name = {name} AND state <> 'stopped'
               AND ({pausedBy} = 'administrator' OR paused_by IS DISTINCT FROM 'administrator')
            """,
            ct) == 1;
    }

    /// <summary>
    /// The worker pauses itself after failures in a row, and in the same transaction tells the hooks of the project
    /// whose trial (<paramref name="lastTrialId"/>) tipped it (a worker serves every project; that one saw it happen).
    /// </summary>
    public async Task<bool> PauseItselfAsync(string name, string reason, Guid lastTrialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Transactions.RunAsync(db, async () =>
        {
            var paused = await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                UPDATE workers SET state = 'paused', paused_reason = {reason}, paused_by = 'worker'
                 WHERE name = {name} AND state <> 'stopped' AND paused_by IS DISTINCT FROM 'administrator'
                """,
                ct) == 1;
            if (paused)
            {
                await WebhookOutbox.WorkerPausedAsync(db, lastTrialId, name, reason, ct);
            }

            return paused;
        }, ct);
    }

    /// <summary>Resumes a worker that is not stopped, whoever paused it, and clears its failures in a row. False: no such running worker.</summary>
    public async Task<bool> ResumeAsync(string name, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE workers SET state = 'active', paused_reason = NULL, paused_by = NULL, consecutive_failures = 0
             WHERE name = {name} AND state <> 'stopped'
            """,
            ct) == 1;
    }

    /// <summary>Records a clean shutdown. Who paused it stays, so that the next registration keeps an administrator's pause.</summary>
    public async Task MarkStoppedAsync(string name, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE workers SET state = 'stopped', current_trial_id = NULL, heartbeat_at = now() WHERE name = {name}",
            ct);
    }
}

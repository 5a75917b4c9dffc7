using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Jobs.Worker;

/// <summary>The worker's row in <c>workers</c>: who it is, what it runs, whether it is paused and why.</summary>
public sealed class WorkerRegistry(IDbContextFactory<SweepDbContext> contexts)
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Stopped = "stopped";

    public async Task RegisterAsync(string name, string device, string queues, string version, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var host = Environment.MachineName;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO workers (name, host, device, version, queues, state, consecutive_failures, trials_run, started_at, heartbeat_at)
            VALUES ({name}, {host}, {device}, {version}, {queues}, 'active', 0, 0, now(), now())
            ON CONFLICT (name) DO UPDATE
               SET host = excluded.host, device = excluded.device, version = excluded.version, queues = excluded.queues,
                   state = 'active', paused_reason = NULL, current_trial_id = NULL, consecutive_failures = 0,
                   started_at = now(), heartbeat_at = now()
            """,
            ct);
    }

    /// <summary>Reports liveness and the current trial; returns the state, which the API may have changed.</summary>
    public async Task<string> HeartbeatAsync(string name, Guid? currentTrial, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE workers SET heartbeat_at = now(), current_trial_id = {currentTrial} WHERE name = {name}",
            ct);
        return await db.Workers.Where(w => w.Name == name).Select(w => w.State).SingleAsync(ct);
    }

    /// <summary>Counts a finished trial; returns the failures in a row so far (0 after a success).</summary>
    public async Task<int> RecordOutcomeAsync(string name, bool failed, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE workers
               SET trials_run = trials_run + 1,
                   consecutive_failures = CASE WHEN {failed} THEN consecutive_failures + 1 ELSE 0 END
             WHERE name = {name}
            """,
            ct);
        return await db.Workers.Where(w => w.Name == name).Select(w => w.ConsecutiveFailures).SingleAsync(ct);
    }

    public async Task PauseAsync(string name, string reason, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE workers SET state = 'paused', paused_reason = {reason} WHERE name = {name}",
            ct);
    }

    public async Task MarkStoppedAsync(string name, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE workers SET state = 'stopped', current_trial_id = NULL, heartbeat_at = now() WHERE name = {name}",
            ct);
    }
}

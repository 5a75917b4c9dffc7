using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Data.Queue;

namespace Sweep.Jobs.Worker;

/// <summary>
/// The outbox of the trial queue (docs/decisions/0010-queue-sweep-as-outbox.md): finds queued trials of active
/// sweeps that no live Hangfire job carries, and enqueues them again with their sweep's queue and their priority.
/// That covers a web process killed half-way through enqueueing a sweep, a job deleted in the dashboard, and any
/// other path that committed a queued row but lost its job. Every worker runs it every
/// <see cref="WorkerOptions.QueueSweepSeconds"/>; a PostgreSQL advisory lock lets one worker sweep at a time, so two
/// workers never enqueue the same orphans together. A duplicate job would still be harmless: the claim lets one
/// through.
/// </summary>
public sealed class QueueSweeper(
    IDbContextFactory<SweepDbContext> contexts,
    IBackgroundJobClient jobs,
    IOptions<WorkerOptions> options,
    ILogger<QueueSweeper> logger)
{
    /// <summary>The advisory lock's key, shared by every worker of the database ("SweepQ" in ASCII).</summary>
    public const long LockKey = 0x5377_6565_7051;

    /// <summary>At most this many trials are enqueued per sweep, so that one pass stays a few seconds long.</summary>
    public const int BatchSize = 10_000;

    private readonly Stopwatch _sinceLast = new();

    /// <summary>Sweeps when the interval has passed since this worker's last sweep (or on its first call).</summary>
    public async Task<int?> SweepIfDueAsync(CancellationToken ct)
    {
        if (_sinceLast.IsRunning && _sinceLast.Elapsed < TimeSpan.FromSeconds(options.Value.QueueSweepSeconds))
        {
            return null;
        }

        _sinceLast.Restart();
        return await SweepAsync(ct);
    }

    /// <summary>Enqueues every forgotten trial; null when another worker holds the lock (it is sweeping now).</summary>
    public async Task<int?> SweepAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);

        // Session-level lock on one open connection, held while the jobs are created on Hangfire's own connections.
        await db.Database.OpenConnectionAsync(ct);
        if (!(await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({LockKey}) AS \"Value\"").ToListAsync(ct)).Single())
        {
            return null;
        }

        try
        {
            var forgotten = await ForgottenAsync(db, ct);
            foreach (var trial in forgotten)
            {
                jobs.Enqueue(trial.Id, trial.Queue, trial.Priority);
            }

            if (forgotten.Count > 0)
            {
                logger.ForgottenTrialsRequeued(forgotten.Count);
            }

            return forgotten.Count;
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>
    /// A job is live while its row is on a Hangfire queue in state Enqueued or Processing: Hangfire.PostgreSql keeps
    /// the jobqueue row until the job is acknowledged, and hands a fetched row to another server once its fetch goes
    /// stale (the invisibility timeout), so a job whose server died is still delivered. A deleted, failed or
    /// succeeded job has left the queue or its state. The job carries the trial's id as its first argument
    /// (job.arguments is jsonb, each argument itself serialized: ["\"id\"", null]); the pattern reads it whatever
    /// the quoting. A trial that became queued within the grace period (a new row, or one the reaper or a release
    /// just requeued) is left to the process that is enqueueing it.
    /// </summary>
    private async Task<List<ForgottenTrial>> ForgottenAsync(SweepDbContext db, CancellationToken ct)
    {
        var grace = (double)options.Value.QueueSweepGraceSeconds;
        return await db.Database.SqlQuery<ForgottenTrial>(
            $$"""
            WITH live AS (
                SELECT DISTINCT substring(j.arguments::text FROM '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')::uuid AS trial_id
                  FROM hangfire.jobqueue q JOIN hangfire.job j ON j.id = q.jobid
                 WHERE j.statename IN ('Enqueued', 'Processing') AND j.invocationdata::text LIKE '%ITrialRunner%')
            SELECT t.id AS "Id", s.queue AS "Queue", t.priority AS "Priority"
              FROM trials t JOIN sweeps s ON s.id = t.sweep_id
             WHERE t.state = 'queued' AND s.state = 'active'
               AND t.created_at < now() - make_interval(secs => {{grace}})
               AND NOT EXISTS (SELECT 1 FROM trial_attempts a
                                WHERE a.trial_id = t.id AND a.ended_at >= now() - make_interval(secs => {{grace}}))
               AND NOT EXISTS (SELECT 1 FROM live WHERE live.trial_id = t.id)
             ORDER BY t.priority DESC, t.created_at
             LIMIT {{BatchSize}}
            """).ToListAsync(ct);
    }

    private sealed record ForgottenTrial(Guid Id, string Queue, int Priority);
}

using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Sweep.Data;
using Sweep.Data.Queue;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Finds running trials whose lease expired (their worker died, or lost the database for too long) and requeues
/// them, or fails them as <c>lost</c> once they have been started <c>max_attempts</c> times. Every worker runs it;
/// SKIP LOCKED and the state guard make each expired trial reaped once.
/// </summary>
public sealed class TrialReaper(IDbContextFactory<SweepDbContext> contexts, IBackgroundJobClient jobs, ILogger<TrialReaper> logger)
{
    public async Task<int> ReapAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var reaped = await db.Database.SqlQuery<ReapedTrial>(
            $"""
            WITH expired AS (
                SELECT t.id, t.attempt >= s.max_attempts AS exhausted, s.queue, t.priority
                  FROM trials t JOIN sweeps s ON s.id = t.sweep_id
                 WHERE t.state = 'running' AND t.lease_expires_at < now()
                 FOR UPDATE OF t SKIP LOCKED)
            UPDATE trials t
               SET state = CASE WHEN e.exhausted THEN 'failed' ELSE 'queued' END,
                   failure_kind = CASE WHEN e.exhausted THEN 'lost' ELSE t.failure_kind END,
                   error = CASE WHEN e.exhausted THEN 'The worker stopped reporting on every attempt (' || t.attempt || ').' ELSE t.error END,
                   finished_at = CASE WHEN e.exhausted THEN now() ELSE t.finished_at END,
                   lease_owner = NULL, lease_expires_at = NULL
              FROM expired e
             WHERE t.id = e.id
            RETURNING t.id AS "Id", e.exhausted AS "Exhausted", e.queue AS "Queue", e.priority AS "Priority"
            """).ToListAsync(ct);
        foreach (var trial in reaped)
        {
            if (trial.Exhausted)
            {
                logger.LogWarning("Trial {TrialId} failed: its lease expired on every attempt.", trial.Id);
            }
            else
            {
                jobs.Enqueue(trial.Id, trial.Queue, trial.Priority);
                logger.LogWarning("Trial {TrialId} lost its worker; requeued to resume from its last checkpoint.", trial.Id);
            }
        }

        return reaped.Count;
    }

    private sealed record ReapedTrial(Guid Id, bool Exhausted, string Queue, int Priority);
}

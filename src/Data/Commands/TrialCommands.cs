using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Sweep.Domain.Results;

namespace Sweep.Data.Commands;

/// <summary>
/// Every state change of a trial row, each one conditional statement (docs/decisions/0009). The worker's writes
/// after the claim carry its <see cref="TrialLease"/> and change nothing unless the trial is still running under
/// that lease generation: they return false, and the worker stops. The transitions are listed in Domain's
/// StateTransitions.Trial.
/// </summary>
public sealed class TrialCommands(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>
    /// Takes the trial if it is queued, or running under an expired lease (a takeover), and its sweep is active,
    /// with a new lease generation. Null: someone else holds it, it is done, or its sweep is paused or cancelled.
    /// </summary>
    public async Task<TrialLease?> ClaimAsync(Guid trialId, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seconds = lease.TotalSeconds;
        var generation = await db.Database.SqlQuery<long>(
            $"""
            UPDATE trials
               SET state = 'running', lease_owner = {owner}, lease_expires_at = now() + make_interval(secs => {seconds}),
                   lease_generation = lease_generation + 1,
                   attempt = attempt + 1, started_at = coalesce(started_at, now()), error = NULL
             WHERE id = {trialId}
               AND (state = 'queued' OR (state = 'running' AND lease_expires_at < now()))
               AND EXISTS (SELECT 1 FROM sweeps s WHERE s.id = trials.sweep_id AND s.state = 'active')
            RETURNING lease_generation AS "Value"
            """).ToListAsync(ct);
        return generation is [var claimed] ? new TrialLease(trialId, owner, claimed) : null;
    }

    /// <summary>Extends the lease. False: the trial is no longer this lease's (cancelled, or taken over): stop training.</summary>
    public async Task<bool> HeartbeatAsync(TrialLease lease, TimeSpan duration, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seconds = duration.TotalSeconds;
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET lease_expires_at = now() + make_interval(secs => {seconds})
             WHERE id = {lease.TrialId} AND lease_generation = {lease.Generation} AND state = 'running'
            """,
            ct) == 1;
    }

    public async Task<bool> SaveConfigAsync(TrialLease lease, string configJson, int totalEpochs, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET config = {configJson}::jsonb, total_epochs = {totalEpochs}
             WHERE id = {lease.TrialId} AND lease_generation = {lease.Generation} AND state = 'running'
            """,
            ct) == 1;
    }

    public async Task<bool> SaveEnvironmentAsync(TrialLease lease, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var json = JsonSerializer.Serialize(environment);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET environment = {json}::jsonb
             WHERE id = {lease.TrialId} AND lease_generation = {lease.Generation} AND state = 'running'
            """,
            ct) == 1;
    }

    /// <summary>
    /// Upserts metric points keyed by (trial, key, step), so that an epoch replayed after a resume overwrites its
    /// own rows, and with <paramref name="updateLatest"/> advances the trial's progress and latest metrics. One
    /// statement: the trial row is locked and checked first, so a holder that lost its lease writes no row, and a
    /// takeover waits until this write is in (or is refused) rather than racing it.
    /// </summary>
    public async Task<bool> RecordMetricsAsync(TrialLease lease, int epoch, long step, IReadOnlyDictionary<string, double> metrics, bool updateLatest, CancellationToken ct)
    {
        var keys = metrics.Keys.ToArray();
        var parameters = FinalColumns.Parameters(lease, epoch, metrics);
        parameters.Add(new NpgsqlParameter("step", step));
        parameters.Add(new NpgsqlParameter("keys", keys));
        parameters.Add(new NpgsqlParameter("values", keys.Select(k => metrics[k]).ToArray()));
        parameters.Add(new NpgsqlParameter("update_latest", updateLatest));
        await using var db = await contexts.CreateDbContextAsync(ct);
        var held = await db.Database.SqlQueryRaw<int>(RecordMetricsSql, parameters.ToArray()).ToListAsync(ct); // Not composed: data-modifying CTEs are allowed only at the top level.
        return held.Single() == 1;
    }

    /// <summary>Ends the trial as completed, with its final epoch and metrics.</summary>
    public async Task<bool> CompleteAsync(TrialLease lease, int epoch, IReadOnlyDictionary<string, double> metrics, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await EndAsync(db, lease.TrialId, () => db.Database.ExecuteSqlRawAsync(CompleteSql, FinalColumns.Parameters(lease, epoch, metrics), ct), ct);
    }

    /// <summary>Ends the trial as failed, with a kind (Domain's FailureKind) and the message.</summary>
    public async Task<bool> FailAsync(TrialLease lease, string kind, string error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await EndAsync(db, lease.TrialId, () => db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'failed', failure_kind = {kind}, error = {error}, finished_at = now(),
                   lease_owner = NULL, lease_expires_at = NULL
             WHERE id = {lease.TrialId} AND lease_generation = {lease.Generation} AND state = 'running'
            """,
            ct), ct);
    }

    /// <summary>
    /// Runs the statement that ends a trial and, in its transaction, deletes the checkpoint if resuming can no
    /// longer help (<see cref="CheckpointCommands.DeleteIfSpentAsync"/>): no spent checkpoint outlives its trial.
    /// The webhook events the end makes (a failure, the sweep finished) are written in the same transaction.
    /// </summary>
    private static Task<bool> EndAsync(SweepDbContext db, Guid trialId, Func<Task<int>> end, CancellationToken ct) =>
        Transactions.RunAsync(db, async () =>
        {
            if (await end() != 1)
            {
                return false;
            }

            await CheckpointCommands.DeleteIfSpentAsync(db, trialId, ct);
            await WebhookOutbox.TrialEndedAsync(db, trialId, ct);
            return true;
        }, ct);

    /// <summary>
    /// Gives the trial back to the queue: another worker, or this one restarted, resumes it from its checkpoint.
    /// A graceful release (a drain) passes <paramref name="countsAsAttempt"/> false and hands the claim's attempt
    /// back, so that a redeploy does not use up the trial's <c>max_attempts</c>.
    /// </summary>
    public async Task<bool> ReleaseAsync(TrialLease lease, bool countsAsAttempt, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL,
                   attempt = CASE WHEN {countsAsAttempt} THEN attempt ELSE greatest(attempt - 1, 0) END
             WHERE id = {lease.TrialId} AND lease_generation = {lease.Generation} AND state = 'running'
            """,
            ct) == 1;
    }

    /// <summary>
    /// Requeues running trials whose lease expired (their worker died, or lost the database for too long), or
    /// fails them as <c>lost</c> once they have been started <c>max_attempts</c> times. Every worker runs it:
    /// SKIP LOCKED and the state guard reap each trial once. The caller enqueues the requeued ones.
    /// </summary>
    public async Task<IReadOnlyList<ReapedTrial>> ReapExpiredAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Transactions.RunAsync<IReadOnlyList<ReapedTrial>>(db, async () =>
        {
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

            // A trial lost for good is a failure to tell, and may be its sweep's last: in the reap's transaction.
            foreach (var lost in reaped.Where(r => r.Exhausted))
            {
                await WebhookOutbox.TrialEndedAsync(db, lost.Id, ct);
            }

            return reaped;
        }, ct);
    }

    /// <summary>Cancels a queued or running trial; its worker notices at its next heartbeat and stops, metrics kept.</summary>
    public async Task<bool> CancelAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await EndAsync(db, trialId, () => db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
             WHERE id = {trialId} AND state IN ('queued', 'running')
            """,
            ct), ct);
    }

    /// <summary>
    /// Requeues a failed or cancelled trial with a fresh attempt budget, and reopens its sweep if that was
    /// cancelled (a paused sweep stays paused). It resumes from its last checkpoint; <paramref name="fresh"/>
    /// deletes the checkpoint and the recorded metrics in the same statement, to start over. False: no such trial
    /// in a retryable state.
    /// </summary>
    public async Task<bool> RetryAsync(Guid trialId, bool fresh, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var requeued = await db.Database.SqlQuery<int>(
            $"""
            WITH requeued AS (
                UPDATE trials
                   SET state = 'queued', attempt = 0, error = NULL, failure_kind = NULL, finished_at = NULL, started_at = NULL,
                       lease_owner = NULL, lease_expires_at = NULL, current_epoch = CASE WHEN {fresh} THEN 0 ELSE current_epoch END
                 WHERE id = {trialId} AND state IN ('failed', 'cancelled')
                RETURNING id, sweep_id),
            reopened AS (
                UPDATE sweeps SET state = 'active' FROM requeued WHERE sweeps.id = requeued.sweep_id AND sweeps.state = 'cancelled'),
            checkpoint AS (
                DELETE FROM trial_checkpoints USING requeued WHERE {fresh} AND trial_checkpoints.trial_id = requeued.id),
            metrics AS (
                DELETE FROM metric_points USING requeued WHERE {fresh} AND metric_points.trial_id = requeued.id)
            SELECT count(*)::int AS "Value" FROM requeued
            """).ToListAsync(ct);
        return requeued.Single() == 1;
    }

    /// <summary>Moves a trial to the high (1), normal (0) or low (−1) queue. Not a state change; false: no such trial.</summary>
    public async Task<bool> SetPriorityAsync(Guid trialId, int priority, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE trials SET priority = {priority} WHERE id = {trialId}", ct) == 1;
    }

    // Built from FinalColumns.Assignments at compile time; parameters are named (@id, @generation, ...).
    private const string RecordMetricsSql = $"""
        WITH holder AS (
            SELECT id FROM trials
             WHERE id = @id AND lease_generation = @generation AND state = 'running'
               FOR NO KEY UPDATE),
        latest AS (
            UPDATE trials SET {FinalColumns.Assignments}
              FROM holder
             WHERE trials.id = holder.id AND @update_latest
            RETURNING trials.id),
        points AS (
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            SELECT holder.id, u.k, @step, @epoch, u.v, now()
              FROM holder, unnest(@keys::text[], @values::double precision[]) AS u(k, v)
            ON CONFLICT (trial_id, key, step) DO UPDATE
               SET value = excluded.value, epoch = excluded.epoch, recorded_at = excluded.recorded_at
            RETURNING 1)
        SELECT count(*)::int AS "Value" FROM holder
        """;

    private const string CompleteSql = $"""
        UPDATE trials SET state = 'completed', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
               {FinalColumns.Assignments}
         WHERE id = @id AND lease_generation = @generation AND state = 'running'
        """;

    /// <summary>The trial's progress and latest metrics, shared by the metric upsert and the completion.</summary>
    private static class FinalColumns
    {
        public const string Assignments = """
            current_epoch = @epoch,
                   final_train_loss = @train_loss, final_train_accuracy = @train_accuracy,
                   final_val_loss = @val_loss, final_val_accuracy = @val_accuracy,
                   final_generalization_gap = @generalization_gap, final_weight_distance = @weight_distance,
                   final_steps = @steps, final_wall_seconds = @wall_seconds
            """;

        public static List<NpgsqlParameter> Parameters(TrialLease lease, int epoch, IReadOnlyDictionary<string, double> m)
        {
            NpgsqlParameter Metric(string name, string key) =>
                new(name, NpgsqlDbType.Double) { Value = m.TryGetValue(key, out var v) ? (object)v : DBNull.Value };

            return
            [
                new("id", lease.TrialId),
                new("generation", lease.Generation),
                new("epoch", epoch),
                Metric("train_loss", MetricNames.TrainLoss),
                Metric("train_accuracy", MetricNames.TrainAccuracy),
                Metric("val_loss", MetricNames.ValLoss),
                Metric("val_accuracy", MetricNames.ValAccuracy),
                Metric("generalization_gap", MetricNames.GeneralizationGap),
                Metric("weight_distance", MetricNames.WeightDistance),
                new("steps", NpgsqlDbType.Bigint) { Value = m.TryGetValue(MetricNames.Steps, out var s) ? (object)(long)s : DBNull.Value },
                Metric("wall_seconds", MetricNames.WallSeconds),
            ];
        }
    }
}

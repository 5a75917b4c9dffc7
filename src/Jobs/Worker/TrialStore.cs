using System.Data;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Data.Commands;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Jobs.Worker;

/// <summary>
/// The worker's side of a trial row: claim it with a lease, keep the lease alive, record metrics, and finish it.
/// Every write after the claim is guarded by (owner, running), so a worker that lost its lease changes nothing.
/// </summary>
public sealed class TrialStore(IDbContextFactory<SweepDbContext> contexts)
{
    private const int CopyBufferBytes = 81_920;

    /// <summary>
    /// Takes the trial if it is queued (or running under an expired lease) and its sweep is active. False: someone
    /// else has it, it is done, or its sweep is paused or cancelled (resuming the sweep enqueues it again).
    /// </summary>
    public async Task<bool> TryClaimAsync(Guid trialId, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seconds = lease.TotalSeconds;
        var claimed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials
               SET state = 'running', lease_owner = {owner}, lease_expires_at = now() + make_interval(secs => {seconds}),
                   attempt = attempt + 1, started_at = coalesce(started_at, now()), error = NULL
             WHERE id = {trialId}
               AND (state = 'queued' OR (state = 'running' AND lease_expires_at < now()))
               AND EXISTS (SELECT 1 FROM sweeps s WHERE s.id = trials.sweep_id AND s.state = 'active')
            """,
            ct);
        return claimed == 1;
    }

    /// <summary>The queue and priority a trial is enqueued with, to hand a job back.</summary>
    public async Task<(string Queue, int Priority)?> QueueOfAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Trials.AsNoTracking().Where(t => t.Id == trialId)
            .Select(t => new { t.Sweep!.Queue, t.Priority }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.Queue, row.Priority);
    }

    public async Task<(TrialRecord Trial, SweepSpec Spec)> LoadAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var trial = await db.Trials.AsNoTracking().Include(t => t.Sweep).SingleAsync(t => t.Id == trialId, ct);
        return (trial, SweepJson.Deserialize(trial.Sweep!.Spec));
    }

    /// <summary>Extends the lease. False means the trial is no longer ours (cancelled, or taken over): stop training.</summary>
    public async Task<bool> HeartbeatAsync(Guid trialId, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seconds = lease.TotalSeconds;
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET lease_expires_at = now() + make_interval(secs => {seconds})
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct) == 1;
    }

    public async Task SaveConfigAsync(Guid trialId, string owner, string configJson, int totalEpochs, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET config = {configJson}::jsonb, total_epochs = {totalEpochs}
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct);
    }

    public async Task SaveEnvironmentAsync(Guid trialId, string owner, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var json = JsonSerializer.Serialize(environment);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET environment = {json}::jsonb
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct);
    }

    /// <summary>
    /// Upserts metric points keyed by (trial, key, step): an epoch replayed after a resume overwrites its own rows
    /// instead of duplicating them. Also advances the trial's progress and latest metrics. Guarded like every other
    /// write (owner, running): a worker that lost its lease during a partition must not overwrite the rows of the
    /// worker that took over. (Interim guard; the lease-generation fence replaces it.)
    /// </summary>
    public async Task RecordMetricsAsync(Guid trialId, string owner, int epoch, long step, IReadOnlyDictionary<string, double> metrics, bool updateLatest, CancellationToken ct)
    {
        var keys = metrics.Keys.ToArray();
        var values = keys.Select(k => metrics[k]).ToArray();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            SELECT {trialId}, k, {step}, {epoch}, v, now()
              FROM unnest({keys}::text[], {values}::double precision[]) AS u(k, v)
             WHERE EXISTS (SELECT 1 FROM trials WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running')
            ON CONFLICT (trial_id, key, step) DO UPDATE
               SET value = excluded.value, epoch = excluded.epoch, recorded_at = excluded.recorded_at
            """,
            ct);
        if (updateLatest)
        {
            await UpdateFinalColumnsAsync(db, trialId, owner, epoch, metrics, ct);
        }

        await tx.CommitAsync(ct);
    }

    public async Task CompleteAsync(Guid trialId, string owner, int epoch, IReadOnlyDictionary<string, double> metrics, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await UpdateFinalColumnsAsync(db, trialId, owner, epoch, metrics, ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'completed', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct);
        await CheckpointCommands.DeleteIfSpentAsync(db, trialId, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Ends the trial as failed, with a kind (diverged, out-of-memory, error) and the message. The checkpoint goes
    /// with a kind that a retry would meet again (<see cref="CheckpointCommands.HopelessFailures"/>).
    /// </summary>
    public async Task FailAsync(Guid trialId, string owner, string kind, string error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'failed', failure_kind = {kind}, error = {error}, finished_at = now(),
                   lease_owner = NULL, lease_expires_at = NULL
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct);
        await CheckpointCommands.DeleteIfSpentAsync(db, trialId, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Keeps the latest checkpoint in PostgreSQL, where any worker on any host can resume from it. The file is
    /// streamed into the row, fenced by the claim's generation; false when the write was fenced off.
    /// </summary>
    public async Task<bool> SaveCheckpointAsync(Guid trialId, string owner, long generation, int epoch, long step, string path, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await CheckpointCommands.SaveAsync(db, trialId, owner, generation, epoch, step, file, ct);
    }

    /// <summary>
    /// Copies the trial's checkpoint, if it has one, to <paramref name="path"/> as PostgreSQL sends it (sequential
    /// access: the bytes stream through a small buffer), and returns the epoch and step it holds.
    /// </summary>
    public async Task<(int Epoch, long Step)?> LoadCheckpointAsync(Guid trialId, string path, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT epoch, step, data FROM trial_checkpoints WHERE trial_id = @trial";
        command.Parameters.AddWithValue("trial", trialId);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        // Sequential access: the columns are read in order, the bytea last.
        var epoch = reader.GetInt32(0);
        var step = reader.GetInt64(1);
        await using (var data = await reader.GetStreamAsync(2, ct))
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous))
        {
            await data.CopyToAsync(file, CopyBufferBytes, ct);
        }

        return (epoch, step);
    }

    /// <summary>Gives the trial back to the queue (worker shutdown): another worker, or this one restarted, may take it.</summary>
    public async Task ReleaseAsync(Guid trialId, string owner, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct);
    }

    private static Task<int> UpdateFinalColumnsAsync(SweepDbContext db, Guid trialId, string owner, int epoch, IReadOnlyDictionary<string, double> m, CancellationToken ct)
    {
        double? Get(string key) => m.TryGetValue(key, out var v) ? v : null;
        long? steps = m.TryGetValue(MetricNames.Steps, out var s) ? (long)s : null;
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE trials
               SET current_epoch = {epoch},
                   final_train_loss = {Get(MetricNames.TrainLoss)},
                   final_train_accuracy = {Get(MetricNames.TrainAccuracy)},
                   final_val_loss = {Get(MetricNames.ValLoss)},
                   final_val_accuracy = {Get(MetricNames.ValAccuracy)},
                   final_generalization_gap = {Get(MetricNames.GeneralizationGap)},
                   final_weight_distance = {Get(MetricNames.WeightDistance)},
                   final_steps = {steps},
                   final_wall_seconds = {Get(MetricNames.WallSeconds)}
             WHERE id = {trialId} AND lease_owner = {owner} AND state = 'running'
            """,
            ct);
    }
}

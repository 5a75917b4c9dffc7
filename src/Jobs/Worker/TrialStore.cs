using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Data.Commands;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Jobs.Worker;

/// <summary>
/// The worker's side of a trial row: claim it with a lease, keep the lease alive, record metrics, and finish it.
/// The state changes are <see cref="TrialCommands"/>; every write after the claim carries the claim's
/// <see cref="TrialLease"/>, so a worker that lost its lease (taken over, or cancelled) changes nothing.
/// </summary>
public sealed class TrialStore(IDbContextFactory<SweepDbContext> contexts, TrialCommands commands)
{
    private const int CopyBufferBytes = 81_920;

    /// <summary>
    /// Takes the trial if it is queued (or running under an expired lease) and its sweep is active. Null: someone
    /// else has it, it is done, or its sweep is paused or cancelled (resuming the sweep enqueues it again).
    /// </summary>
    public Task<TrialLease?> TryClaimAsync(Guid trialId, string owner, TimeSpan lease, CancellationToken ct) =>
        commands.ClaimAsync(trialId, owner, lease, ct);

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
    public Task<bool> HeartbeatAsync(TrialLease claim, TimeSpan lease, CancellationToken ct) =>
        commands.HeartbeatAsync(claim, lease, ct);

    public Task<bool> SaveConfigAsync(TrialLease claim, string configJson, int totalEpochs, CancellationToken ct) =>
        commands.SaveConfigAsync(claim, configJson, totalEpochs, ct);

    public Task<bool> SaveEnvironmentAsync(TrialLease claim, IReadOnlyDictionary<string, string> environment, CancellationToken ct) =>
        commands.SaveEnvironmentAsync(claim, environment, ct);

    /// <summary>
    /// Upserts metric points keyed by (trial, key, step): an epoch replayed after a resume overwrites its own rows
    /// instead of duplicating them. Also advances the trial's progress and latest metrics.
    /// </summary>
    public Task<bool> RecordMetricsAsync(TrialLease claim, int epoch, long step, IReadOnlyDictionary<string, double> metrics, bool updateLatest, CancellationToken ct) =>
        commands.RecordMetricsAsync(claim, epoch, step, metrics, updateLatest, ct);

    /// <summary>Ends the trial as completed; its checkpoint goes in the same transaction unless pinned.</summary>
    public Task<bool> CompleteAsync(TrialLease claim, int epoch, IReadOnlyDictionary<string, double> metrics, CancellationToken ct) =>
        commands.CompleteAsync(claim, epoch, metrics, ct);

    /// <summary>
    /// Ends the trial as failed, with a kind (<see cref="FailureKind"/>) and the message. The checkpoint goes with a
    /// kind that a retry would meet again (<see cref="CheckpointCommands.DeleteIfSpentAsync"/>).
    /// </summary>
    public Task<bool> FailAsync(TrialLease claim, string kind, string error, CancellationToken ct) =>
        commands.FailAsync(claim, kind, error, ct);

    /// <summary>
    /// Keeps the latest checkpoint in PostgreSQL, where any worker on any host can resume from it. The file is
    /// streamed into the row from its start (a retry sends it again), fenced by the claim's lease generation; false
    /// when the write was fenced off.
    /// </summary>
    public async Task<bool> SaveCheckpointAsync(TrialLease claim, int epoch, long step, Stream data, CancellationToken ct)
    {
        data.Position = 0;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await CheckpointCommands.SaveAsync(db, claim, epoch, step, data, ct);
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

    /// <summary>
    /// Gives the trial back to the queue (worker shutdown): another worker, or this one restarted, may take it. A
    /// graceful release (a drain) passes <paramref name="countsAsAttempt"/> false, so that it costs no attempt.
    /// </summary>
    public Task<bool> ReleaseAsync(TrialLease claim, bool countsAsAttempt, CancellationToken ct) =>
        commands.ReleaseAsync(claim, countsAsAttempt, ct);

    /// <summary>Opens a checkpoint file written by the trainer, to stream it through a small buffer.</summary>
    public static FileStream OpenCheckpoint(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
}

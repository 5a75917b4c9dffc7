using Microsoft.EntityFrameworkCore;
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

    public Task<bool> CompleteAsync(TrialLease claim, int epoch, IReadOnlyDictionary<string, double> metrics, CancellationToken ct) =>
        commands.CompleteAsync(claim, epoch, metrics, ct);

    /// <summary>Ends the trial as failed, with a kind (<see cref="FailureKind"/>) and the message.</summary>
    public Task<bool> FailAsync(TrialLease claim, string kind, string error, CancellationToken ct) =>
        commands.FailAsync(claim, kind, error, ct);

    /// <summary>
    /// Keeps the latest checkpoint in PostgreSQL, where any worker on any host can resume from it. Fenced like the
    /// commands: the row is written only while the trial runs under this lease generation, and the trial row is
    /// locked for it, so that a takeover cannot slip in between the check and the write.
    /// </summary>
    public async Task SaveCheckpointAsync(TrialLease claim, int epoch, long step, byte[] data, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at)
            SELECT id, {epoch}, {step}, {data}, now() FROM trials
             WHERE id = {claim.TrialId} AND lease_generation = {claim.Generation} AND state = 'running'
               FOR NO KEY UPDATE
            ON CONFLICT (trial_id) DO UPDATE
               SET epoch = excluded.epoch, step = excluded.step, data = excluded.data, created_at = excluded.created_at
            """,
            ct);
    }

    public async Task<TrialCheckpoint?> LoadCheckpointAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.TrialId == trialId, ct);
    }

    /// <summary>
    /// Gives the trial back to the queue (worker shutdown): another worker, or this one restarted, may take it. A
    /// graceful release (a drain) passes <paramref name="countsAsAttempt"/> false, so that it costs no attempt.
    /// </summary>
    public Task<bool> ReleaseAsync(TrialLease claim, bool countsAsAttempt, CancellationToken ct) =>
        commands.ReleaseAsync(claim, countsAsAttempt, ct);
}

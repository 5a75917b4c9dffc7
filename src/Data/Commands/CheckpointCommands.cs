using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Commands;

/// <summary>
/// The statements that change a trial's checkpoint (one row per trial in <c>trial_checkpoints</c>, the latest only).
///
/// <para><b>Lifecycle.</b> A checkpoint exists to resume a trial. It is deleted when its trial ends in a way that
/// resuming cannot help: <c>completed</c> (nothing left to train), and <c>failed</c> as <c>diverged</c>,
/// <c>evaluation-nan</c> or <c>out-of-memory</c> (the cell itself is the cause; a retry would meet it again).
/// It is kept while the trial may still resume: <c>queued</c> after a lost lease or a release, <c>cancelled</c>
/// (retry resumes it, see SweepLifecycle.RetryTrialAsync), and <c>failed</c> for any other reason (an error, a lost
/// worker, a stall), which a retry may well get past. A pinned checkpoint is always kept, until it is unpinned, when
/// the same rule applies at once.</para>
/// </summary>
public static class CheckpointCommands
{
    /// <summary>The failure kinds after which a checkpoint is no use: retrying the cell fails the same way.</summary>
    public static readonly IReadOnlyList<string> HopelessFailures = FailureKind.All.Where(FailureKind.IsTheTrials).ToArray();

    /// <summary>
    /// Upserts the trial's checkpoint, streaming <paramref name="data"/> into the bytea (Npgsql copies a Stream
    /// parameter in chunks; nothing holds the whole checkpoint). Fenced: only the claim that holds the trial's
    /// current lease generation writes, and the trial row is locked for it, so that a takeover cannot slip in
    /// between the check and the write. Keeps <c>pinned</c> as it was. Returns false when the write was fenced off.
    /// </summary>
    public static async Task<bool> SaveAsync(
        SweepDbContext db, TrialLease claim, int epoch, long step, Stream data, CancellationToken ct)
    {
        var written = await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at, pinned)
            SELECT id, @epoch, @step, @data, now(), false FROM trials
             WHERE id = @trial AND lease_generation = @generation AND state = 'running'
               FOR NO KEY UPDATE
            ON CONFLICT (trial_id) DO UPDATE
               SET epoch = excluded.epoch, step = excluded.step, data = excluded.data, created_at = excluded.created_at
            """,
            [
                new NpgsqlParameter("trial", claim.TrialId),
                new NpgsqlParameter("generation", claim.Generation),
                new NpgsqlParameter("epoch", epoch),
                new NpgsqlParameter("step", step),
                new NpgsqlParameter("data", NpgsqlDbType.Bytea) { Value = data },
            ],
            ct);
        return written == 1;
    }

    /// <summary>
    /// Deletes the trial's checkpoint if the trial has ended in a way that resuming cannot help and it is not pinned
    /// (the rule in the class summary). Call it right after the statement that ends a trial, in its transaction.
    /// Safe to call in any state: the rule reads the trial row.
    /// </summary>
    public static Task<int> DeleteIfSpentAsync(SweepDbContext db, Guid trialId, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM trial_checkpoints c
             USING trials t
             WHERE c.trial_id = {trialId} AND t.id = c.trial_id AND NOT c.pinned
               AND (t.state = 'completed' OR (t.state = 'failed' AND t.failure_kind = ANY ({HopelessFailures.ToArray()})))
            """,
            ct);

    /// <summary>
    /// Pins or unpins the trial's checkpoint. Unpinning applies the lifecycle rule at once, so the checkpoint of a
    /// completed trial goes. False: the trial has no checkpoint.
    /// </summary>
    public static async Task<bool> SetPinnedAsync(SweepDbContext db, Guid trialId, bool pinned, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var updated = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE trial_checkpoints SET pinned = {pinned} WHERE trial_id = {trialId}", ct);
        if (updated == 1 && !pinned)
        {
            await DeleteIfSpentAsync(db, trialId, ct);
        }

        await tx.CommitAsync(ct);
        return updated == 1;
    }
}

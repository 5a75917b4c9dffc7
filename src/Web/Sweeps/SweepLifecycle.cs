using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Commands;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Pause, resume and cancel sweeps; cancel, retry and re-prioritize trials. Each action is one named command
/// (<see cref="SweepCommands"/>, <see cref="TrialCommands"/>): a conditional statement, safe against workers
/// claiming and finishing trials at the same moment. This class tells a conflict from a missing row and enqueues
/// what the command requeued. Running trainers notice a cancellation at their next lease renewal (every 2 s by
/// default) and are stopped with their metrics kept.
/// </summary>
public sealed class SweepLifecycle(
    IDbContextFactory<SweepDbContext> contexts, ITrialQueue queue, SweepCommands sweeps, TrialCommands trials, LiveSweepCache pages)
{
    public async Task<ControlResult> PauseAsync(Guid sweepId, CancellationToken ct) =>
        await sweeps.PauseAsync(sweepId, ct) ? ControlResult.Done : await SweepMissingOrConflict(sweepId, SweepState.Paused, ct);

    /// <summary>Reactivates the sweep and enqueues its queued trials again (jobs fetched while paused were dropped).</summary>
    public async Task<ControlResult> ResumeAsync(Guid sweepId, CancellationToken ct)
    {
        var result = await sweeps.ResumeAsync(sweepId, ct) ? ControlResult.Done : await SweepMissingOrConflict(sweepId, SweepState.Active, ct);
        if (result == ControlResult.Done)
        {
            await EnqueueAsync(sweepId, TrialState.Queued, ct);
        }

        return result;
    }

    public async Task<ControlResult> CancelAsync(Guid sweepId, CancellationToken ct) =>
        await sweeps.CancelAsync(sweepId, ct) ? ControlResult.Done : await SweepMissingOrConflict(sweepId, null, ct);

    /// <summary>
    /// Deletes a sweep with its trials, metrics and checkpoints. Only a settled sweep can go: deleting one with
    /// queued or running trials would pull rows from under a worker, so the caller cancels it first (Conflict).
    /// </summary>
    public async Task<ControlResult> DeleteAsync(Guid sweepId, CancellationToken ct)
    {
        if (!await sweeps.DeleteAsync(sweepId, ct))
        {
            return await SweepMissingOrConflict(sweepId, null, ct);
        }

        // No page refreshes a deleted sweep's shared read (its access check fails first): drop it here.
        pages.Remove(sweepId);
        return ControlResult.Done;
    }

    /// <summary>Requeues every failed trial of the sweep, reopening the sweep if it was cancelled; a paused sweep stays paused.</summary>
    public async Task<(ControlResult Result, int Count)> RetryFailedAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return (ControlResult.NotFound, 0);
        }

        var ids = await sweeps.RetryFailedAsync(sweepId, ct);
        await EnqueueAsync(sweepId, ids, ct);
        return (ControlResult.Done, ids.Count);
    }

    public async Task<ControlResult> CancelTrialAsync(Guid trialId, CancellationToken ct) =>
        await trials.CancelAsync(trialId, ct) ? ControlResult.Done : await TrialMissingOrConflict(trialId, ct);

    /// <summary>
    /// Requeues a failed or cancelled trial (reopening a cancelled sweep). It resumes from its last checkpoint;
    /// <paramref name="fresh"/> deletes the checkpoint and the recorded metrics first, to start over.
    /// </summary>
    public async Task<ControlResult> RetryTrialAsync(Guid trialId, bool fresh, CancellationToken ct)
    {
        if (!await trials.RetryAsync(trialId, fresh, ct))
        {
            return await TrialMissingOrConflict(trialId, ct);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweepId = await db.Trials.Where(t => t.Id == trialId).Select(t => t.SweepId).SingleAsync(ct);
        await EnqueueAsync(sweepId, [trialId], ct);
        return ControlResult.Done;
    }

    /// <summary>Moves a waiting trial to the high (1), normal (0) or low (−1) queue.</summary>
    public async Task<ControlResult> SetPriorityAsync(Guid trialId, int priority, CancellationToken ct)
    {
        if (!await trials.SetPriorityAsync(trialId, priority, ct))
        {
            return ControlResult.NotFound;
        }

        // A second job for the same trial is harmless: whichever runs first claims it, the other finds nothing to do.
        await using var db = await contexts.CreateDbContextAsync(ct);
        var trial = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => new { t.SweepId, t.State }).SingleAsync(ct);
        if (trial.State == TrialState.Queued)
        {
            await EnqueueAsync(trial.SweepId, [trialId], ct);
        }

        return ControlResult.Done;
    }

    /// <summary>Why a sweep command changed nothing: no such sweep, or it is in another state (Done when it is already in <paramref name="target"/>).</summary>
    private async Task<ControlResult> SweepMissingOrConflict(Guid sweepId, string? target, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var state = await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.State).SingleOrDefaultAsync(ct);
        return state is null ? ControlResult.NotFound : state == target ? ControlResult.Done : ControlResult.Conflict;
    }

    private async Task<ControlResult> TrialMissingOrConflict(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Trials.AnyAsync(t => t.Id == trialId, ct) ? ControlResult.Conflict : ControlResult.NotFound;
    }

    private async Task EnqueueAsync(Guid sweepId, string state, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await db.Trials.Where(t => t.SweepId == sweepId && t.State == state).Select(t => t.Id).ToListAsync(ct);
        await EnqueueAsync(sweepId, ids, ct);
    }

    private async Task EnqueueAsync(Guid sweepId, IReadOnlyCollection<Guid> trialIds, CancellationToken ct)
    {
        if (trialIds.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var target = await db.Sweeps.Where(s => s.Id == sweepId).Select(s => s.Queue).SingleAsync(ct);
        var priorities = await db.Trials.Where(t => trialIds.Contains(t.Id)).Select(t => new { t.Id, t.Priority }).ToListAsync(ct);
        queue.Enqueue(priorities.Select(p => (p.Id, p.Priority)), target);
    }
}

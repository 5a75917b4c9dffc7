using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Data.Commands;
using Sweep.Data.Queue;
using Sweep.Domain.Execution;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

/// <summary>
/// The Hangfire job. It takes only a trial id and may run twice: the atomic claim lets one run through and turns
/// every other into a no-op. The trial row, not Hangfire, records the outcome.
/// </summary>
public sealed class TrialRunner(
    TrialStore store,
    TrialLogCommands logs,
    TrainerProcess trainer,
    WorkerRegistry registry,
    WorkerStatus status,
    IBackgroundJobClient jobs,
    IOptions<WorkerOptions> options,
    ILogger<TrialRunner> logger) : ITrialRunner
{
    private readonly WorkerOptions _worker = options.Value;

    public async Task RunAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var owner = _worker.Name;
        if (status.Paused)
        {
            // A paused worker may still fetch a job before its server stops: give the trial to another worker.
            await EnqueueAgainAsync(trialId, cancellationToken);
            return;
        }

        var claimedAt = Stopwatch.GetTimestamp();
        if (await store.TryClaimAsync(trialId, owner, TimeSpan.FromSeconds(_worker.LeaseSeconds), cancellationToken) is not { } claim)
        {
            logger.TrialNotClaimable(trialId);
            return;
        }

        logger.TrialClaimed(owner, trialId);
        status.CurrentTrial = trialId;
        AttemptOutcome outcome;
        try
        {
            await using var lease = new LeaseHeartbeat(store, claim, _worker, claimedAt, logger);
            outcome = await AttemptAsync(claim, lease, cancellationToken);
        }
        finally
        {
            status.CurrentTrial = null;
        }

        await CountOutcomeAsync(outcome, trialId);

        // On shutdown the job ends as interrupted, so that Hangfire puts it back in its queue.
        if (outcome == AttemptOutcome.Released)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(TrialLease claim, LeaseHeartbeat lease, CancellationToken shutdown)
    {
        var trialId = claim.TrialId;
        try
        {
            var (exit, recorder) = await TrainAsync(claim, lease, shutdown);
            return await ConcludeAsync(claim, lease, exit, recorder, shutdown);
        }
        catch (Exception) when (lease.Loss is not null)
        {
            return LeaseOutcome(trialId, lease);
        }
        catch (LeaseFencedException)
        {
            logger.TrialWriteFenced(trialId);
            return AttemptOutcome.LeaseTaken;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Shut down before the trainer started: nothing ran, so the claim hands its attempt back.
            await ReleaseAsync(claim, countsAsAttempt: false, shutdown);
            return AttemptOutcome.Released;
        }
        catch (Exception ex)
        {
            // TrainerProcess has killed and reaped the trainer by now: no trainer outlives the failure recorded here.
            logger.TrialFailedInWorker(ex, trialId);
            await FailAsync(claim, FailureKind.Error, ex.Message);
            return AttemptOutcome.WorkerFailed;
        }
    }

    /// <summary>Prepares the claimed trial (config, resume checkpoint) and runs its trainer to the end.</summary>
    private async Task<(TrainerExit Exit, TrialEventRecorder Recorder)> TrainAsync(TrialLease claim, LeaseHeartbeat lease, CancellationToken shutdown)
    {
        var trialId = claim.TrialId;
        using var prepare = CancellationTokenSource.CreateLinkedTokenSource(shutdown, lease.Lost);
        var (trial, spec) = await store.LoadAsync(trialId, prepare.Token);
        var (config, plan) = TrainerConfigFactory.Create(trial, spec, _worker);
        await store.SaveConfigAsync(claim, JsonSerializer.Serialize(config, TrainEventJson.Options), plan.Epochs, prepare.Token);

        // Resume from the last completed epoch if an earlier attempt (here or on another host) left a checkpoint.
        using var files = new TrialFiles(trialId);
        if (await store.LoadCheckpointAsync(trialId, files.Resume, prepare.Token) is { } checkpoint)
        {
            config = config with { ResumeFrom = files.Resume };
            logger.TrialResumes(trialId, checkpoint.Epoch);
        }

        config = config with { CheckpointPath = files.Checkpoint };
        prepare.Token.ThrowIfCancellationRequested();

        // Shutdown drains the trainer rather than killing it; only a lost lease kills it outright.
        // The output is flushed once more when the trainer is gone, however it ended, before the outcome is recorded.
        var recorder = new TrialEventRecorder(store, claim, logger);
        await using var output = _worker.TrialLogTailBytes > 0 ? new TrialLogWriter(logs, claim, _worker.TrialLogTailBytes, logger) : null;
        var exit = await trainer.RunAsync(config, e => recorder.RecordAsync(e, lease.Lost), abort: lease.Lost, drain: shutdown, output);
        return (exit, recorder);
    }

    private async Task<AttemptOutcome> ConcludeAsync(TrialLease claim, LeaseHeartbeat lease, TrainerExit exit, TrialEventRecorder recorder, CancellationToken shutdown)
    {
        var trialId = claim.TrialId;
        if (lease.Loss is not null)
        {
            return LeaseOutcome(trialId, lease);
        }

        if (exit.Stalled is { } stalled)
        {
            await FailAsync(claim, FailureKind.Stalled, stalled);
            return AttemptOutcome.WorkerFailed;
        }

        if (recorder.Completed is { } completed && exit.ExitCode == 0)
        {
            await DatabaseRetry.RunAsync(() => store.CompleteAsync(claim, completed.Epoch, completed.Metrics, CancellationToken.None), logger, CancellationToken.None);
            logger.TrialCompleted(trialId);
            return AttemptOutcome.Completed;
        }

        if (exit.Drained)
        {
            logger.TrialDrained(trialId, recorder.CheckpointEpoch);
            await ReleaseAsync(claim, countsAsAttempt: false, shutdown);
            return AttemptOutcome.Released;
        }

        if (shutdown.IsCancellationRequested && recorder.Failure is null or { Kind: FailureKind.Cancelled })
        {
            // The drain ran out of time (or the trainer was interrupted as well): the attempt was spent.
            await ReleaseAsync(claim, countsAsAttempt: true, shutdown);
            return AttemptOutcome.Released;
        }

        var (kind, message) = recorder.Failure is { } failure
            ? (failure.Kind, failure.Message)
            : (FailureKind.Error, $"The trainer exited with code {exit.ExitCode}. {exit.StderrTail}");
        await FailAsync(claim, kind, message);

        // Divergence, a NaN evaluation or running out of memory say something about the cell, not about the worker:
        // three oversized cells must not pause every worker that tries them.
        return FailureKind.IsTheTrials(kind) ? AttemptOutcome.TrialFailed : AttemptOutcome.WorkerFailed;
    }

    private AttemptOutcome LeaseOutcome(Guid trialId, LeaseHeartbeat lease)
    {
        if (lease.Loss == LeaseLoss.Expired)
        {
            logger.AttemptGivenUp(trialId, lease.Lease.TotalSeconds);
            return AttemptOutcome.LeaseExpired;
        }

        logger.TrialTakenOver(trialId, _worker.Name);
        return AttemptOutcome.LeaseTaken;
    }

    private async Task FailAsync(TrialLease claim, string kind, string message)
    {
        await DatabaseRetry.RunAsync(() => store.FailAsync(claim, kind, message, CancellationToken.None), logger, CancellationToken.None);
        logger.TrialFailed(claim.TrialId, kind, message);
    }

    /// <summary>
    /// Back to the queue. On shutdown Hangfire requeues the interrupted job itself; a trainer stopped by someone
    /// else's SIGTERM leaves the job finished, so it gets a new one.
    /// </summary>
    private async Task ReleaseAsync(TrialLease claim, bool countsAsAttempt, CancellationToken shutdown)
    {
        await DatabaseRetry.RunAsync(() => store.ReleaseAsync(claim, countsAsAttempt, CancellationToken.None), logger, CancellationToken.None);
        if (!shutdown.IsCancellationRequested)
        {
            await EnqueueAgainAsync(claim.TrialId, CancellationToken.None);
        }
    }

    private async Task EnqueueAgainAsync(Guid trialId, CancellationToken ct)
    {
        if (await store.QueueOfAsync(trialId, ct) is { } queue)
        {
            jobs.Enqueue(trialId, queue.Queue, queue.Priority);
        }
    }

    /// <summary>
    /// Errors and stalls count against the worker (a broken device fails everything); a trial's own failure does
    /// not. After K worker failures in a row the worker pauses itself and says why. An expired lease or a release
    /// is no outcome to count (and after an expiry the database may be unreachable anyway).
    /// </summary>
    private async Task CountOutcomeAsync(AttemptOutcome outcome, Guid trialId)
    {
        if (outcome is AttemptOutcome.LeaseExpired or AttemptOutcome.Released)
        {
            return;
        }

        var failed = outcome == AttemptOutcome.WorkerFailed;
        var inARow = await registry.RecordOutcomeAsync(_worker.Name, failed, CancellationToken.None);
        if (failed && inARow >= _worker.MaxConsecutiveFailures)
        {
            status.Paused = true;
            var reason = $"{inARow} trials in a row failed on this worker; paused so as not to burn the queue. Check the device and the worker log, then resume it.";
            await registry.PauseAsync(_worker.Name, reason, trialId, CancellationToken.None);
            logger.WorkerPausedItself(_worker.Name, reason);
        }
    }
}

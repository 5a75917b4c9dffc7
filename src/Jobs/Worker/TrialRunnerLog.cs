using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="TrialRunner"/> logs, source-generated.</summary>
internal static partial class TrialRunnerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} is not claimable (done, running elsewhere, or its sweep is paused); skipping.")]
    public static partial void TrialNotClaimable(this ILogger logger, Guid trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} claimed trial {TrialId}.")]
    public static partial void TrialClaimed(this ILogger logger, string worker, Guid trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId}: a write was refused, the trial was cancelled or taken over; trainer stopped.")]
    public static partial void TrialWriteFenced(this ILogger logger, Guid trialId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trial {TrialId} failed in the worker.")]
    public static partial void TrialFailedInWorker(this ILogger logger, Exception exception, Guid trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} resumes after epoch {Epoch}.")]
    public static partial void TrialResumes(this ILogger logger, Guid trialId, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} completed.")]
    public static partial void TrialCompleted(this ILogger logger, Guid trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} drained to its checkpoint after epoch {Epoch}; released.")]
    public static partial void TrialDrained(this ILogger logger, Guid trialId, int? epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId}: gave the attempt up after {Lease} s without a lease renewal; its trainer was killed and nothing was recorded.")]
    public static partial void AttemptGivenUp(this ILogger logger, Guid trialId, double lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} was taken from worker {Worker} (cancelled or re-leased); trainer stopped.")]
    public static partial void TrialTakenOver(this ILogger logger, Guid trialId, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed ({Kind}): {Message}")]
    public static partial void TrialFailed(this ILogger logger, Guid trialId, string kind, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Worker} paused itself: {Reason}")]
    public static partial void WorkerPausedItself(this ILogger logger, string worker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId}: could not store the trainer's output ({Reason}); it waits for the next flush.")]
    public static partial void TrialLogFlushFailed(this ILogger logger, Guid trialId, string reason);
}

using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="TrialReaper"/> logs, source-generated.</summary>
internal static partial class TrialReaperLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed: its lease expired on every attempt.")]
    public static partial void TrialLeaseExhausted(this ILogger logger, Guid trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} lost its worker; requeued to resume from its last checkpoint.")]
    public static partial void TrialRequeuedAfterLeaseExpiry(this ILogger logger, Guid trialId);
}

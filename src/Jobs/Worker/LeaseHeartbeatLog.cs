using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="LeaseHeartbeat"/> logs, source-generated.</summary>
internal static partial class LeaseHeartbeatLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId}: lease renewal failed ({Message}); {Left:F0} s of the lease left.")]
    public static partial void LeaseRenewalFailed(this ILogger logger, Guid trialId, string message, double left);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trial {TrialId}: the lease was not renewed for {Lease} s; stopping its trainer, another worker may take it over.")]
    public static partial void LeaseExpired(this ILogger logger, Guid trialId, double lease);
}

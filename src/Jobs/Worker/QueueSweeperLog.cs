using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="QueueSweeper"/> logs, source-generated.</summary>
internal static partial class QueueSweeperLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-enqueued {Count} queued trials that had no live job (a lost enqueue or a deleted job).")]
    public static partial void ForgottenTrialsRequeued(this ILogger logger, int count);
}

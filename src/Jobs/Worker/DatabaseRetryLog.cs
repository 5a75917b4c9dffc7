using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="DatabaseRetry"/> logs, source-generated.</summary>
internal static partial class DatabaseRetryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Database write failed ({Message}); retry {Attempt}.")]
    public static partial void DatabaseWriteRetried(this ILogger logger, string message, int attempt);
}

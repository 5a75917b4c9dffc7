using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="WorkerSupervisor"/> logs, source-generated.</summary>
internal static partial class WorkerSupervisorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} ({Device}) listens on {Queues}.")]
    public static partial void WorkerListening(this ILogger logger, string worker, string device, string queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} is paused by an administrator; it takes no trial until resumed.")]
    public static partial void WorkerStartsPaused(this ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} is paused; it takes no trial until resumed.")]
    public static partial void WorkerPaused(this ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} resumed.")]
    public static partial void WorkerResumed(this ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} could not report: {Message}")]
    public static partial void WorkerReportFailed(this ILogger logger, string worker, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} could not record its stop: {Message}")]
    public static partial void WorkerStopNotRecorded(this ILogger logger, string worker, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} cannot reach the database yet ({Message}); retrying.")]
    public static partial void DatabaseUnreachable(this ILogger logger, string worker, string message);
}

using Microsoft.Extensions.Logging;

namespace Sweep.Jobs.Worker;

/// <summary>What <see cref="TrainerProcess"/> logs, source-generated.</summary>
internal static partial class TrainerProcessLog
{
    /// <summary>A line on the trainer's stdout that is not an event.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "trainer: {Line}")]
    public static partial void TrainerSaid(this ILogger logger, string line);

    /// <summary>A line on the trainer's stderr (also kept for the failure message).</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "trainer: {Line}")]
    public static partial void TrainerStderr(this ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked trainer {Pid} to checkpoint its epoch and stop; it has {Grace} s.")]
    public static partial void TrainerDrainRequested(this ILogger logger, int pid, double grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not kill trainer process {Pid}")]
    public static partial void TrainerKillFailed(this ILogger logger, Exception exception, int pid);
}

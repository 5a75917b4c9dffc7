using Microsoft.Extensions.Logging;

namespace Sweep.Data.Telemetry;

internal static partial class OperatorMetricsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the operator metrics; the gauges show the last figures read.")]
    public static partial void SnapshotFailed(this ILogger logger, Exception exception);
}

namespace Sweep.Web.Examples;

/// <summary>What <see cref="ExampleLoader"/> logs, source-generated.</summary>
internal static partial class ExampleLoaderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the example sweeps failed; the platform runs without them.")]
    public static partial void ExamplesFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "No example folder at {Folder}; no examples loaded.")]
    public static partial void NoExampleFolder(this ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping the example archive {File}: it cannot be read.")]
    public static partial void ExampleArchiveUnreadable(this ILogger logger, Exception exception, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded example {Key} ({Trials} trials) as sweep {SweepId}.")]
    public static partial void ExampleLoaded(this ILogger logger, string key, int trials, Guid sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Example {Key} was loaded by another instance at the same time.")]
    public static partial void ExampleLoadedElsewhere(this ILogger logger, string key);
}

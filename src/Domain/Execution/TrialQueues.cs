namespace Sweep.Domain.Execution;

/// <summary>
/// Hangfire queue names. A sweep targets a device class (or any worker); a trial's priority picks the high, normal
/// or low queue of that class. Workers list the queues high to low, device class before the shared one, and
/// Hangfire serves them in that order.
/// </summary>
public static class TrialQueues
{
    public const string Shared = "default";

    public static IReadOnlyList<string> Targets { get; } = [Shared, "cpu", "cuda"];

    public static string For(string target, int priority) => priority switch
    {
        > 0 => target + "_high",
        < 0 => target + "_low",
        _ => target,
    };

    /// <summary>The queues a worker of a device class listens on, in the order it serves them.</summary>
    public static string[] ForWorker(string deviceClass) =>
    [
        For(deviceClass, 1), For(Shared, 1),
        deviceClass, Shared,
        For(deviceClass, -1), For(Shared, -1),
    ];
}

using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// A sweep's status as the list shows it: the stored state when the sweep is paused or cancelled, else what its
/// trials are doing: running (some trial is), queued (some wait, none runs) or finished (none is left to run).
/// </summary>
public static class SweepStatus
{
    public const string Running = "running";
    public const string Queued = "queued";
    public const string Finished = "finished";
    public const string Paused = "paused";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Running, Queued, Finished, Paused, Cancelled];

    public static string Of(string state, IReadOnlyDictionary<string, int> counts) => state switch
    {
        "paused" => Paused,
        "cancelled" => Cancelled,
        _ when counts.GetValueOrDefault(TrialState.Running) > 0 => Running,
        _ when counts.GetValueOrDefault(TrialState.Queued) > 0 => Queued,
        _ => Finished,
    };
}

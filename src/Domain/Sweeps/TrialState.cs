namespace Sweep.Domain.Sweeps;

/// <summary>The life of a trial row. Stored and sent as lower-case words.</summary>
public static class TrialState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Queued, Running, Completed, Failed, Cancelled];

    public static bool IsFinal(string state) => state is Completed or Failed or Cancelled;
}

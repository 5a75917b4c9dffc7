namespace Sweep.Domain.Sweeps;

/// <summary>The life of a sweep row. Stored and sent as lower-case words.</summary>
public static class SweepState
{
    /// <summary>Its queued trials may be claimed.</summary>
    public const string Active = "active";

    /// <summary>No new trial starts; running ones finish. Resuming enqueues the queued trials again.</summary>
    public const string Paused = "paused";

    /// <summary>Its unfinished trials were cancelled with it. Retrying one of its trials reopens it.</summary>
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Active, Paused, Cancelled];
}

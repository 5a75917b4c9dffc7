namespace Sweep.Domain.Sweeps;

/// <summary>
/// The life of a worker row, as the worker and the API write it. The workers API also shows <c>unresponsive</c>
/// for an active worker whose heartbeat is old; that is a view of the row, never stored.
/// </summary>
public static class WorkerState
{
    public const string Active = "active";

    /// <summary>Takes no trial until resumed; <c>paused_by</c> says who paused it (<see cref="WorkerPausedBy"/>).</summary>
    public const string Paused = "paused";

    /// <summary>Shut down cleanly; the next start of the same name registers it again.</summary>
    public const string Stopped = "stopped";

    public static IReadOnlyList<string> All { get; } = [Active, Paused, Stopped];
}

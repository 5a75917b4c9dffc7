namespace Sweep.Domain.Sweeps;

/// <summary>Who paused a worker (<c>workers.paused_by</c>), which decides whether a restart keeps the pause.</summary>
public static class WorkerPausedBy
{
    /// <summary>Through the API. A restart keeps it: only the administrator's resume lifts it.</summary>
    public const string Administrator = "administrator";

    /// <summary>The worker itself, after failures in a row. A restart clears it: restarting says the device is fixed.</summary>
    public const string Worker = "worker";
}

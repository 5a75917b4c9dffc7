namespace Sweep.Data.Entities;

/// <summary>A worker process as it registers itself: one per device, on any host.</summary>
public sealed class WorkerRecord
{
    public required string Name { get; set; }

    public required string Host { get; set; }

    public required string Device { get; set; }

    public required string Version { get; set; }

    public required string Queues { get; set; }

    /// <summary>active, paused (takes no trial; see <see cref="PausedReason"/>) or stopped.</summary>
    public required string State { get; set; }

    public string? PausedReason { get; set; }

    /// <summary>
    /// Who paused it: <c>administrator</c> (through the API; a restart keeps it) or <c>worker</c> (itself, after
    /// failures in a row; a restart clears it, because restarting is how an operator says the device is fixed).
    /// </summary>
    public string? PausedBy { get; set; }

    public Guid? CurrentTrialId { get; set; }

    public int ConsecutiveFailures { get; set; }

    public int TrialsRun { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }
}

namespace Sweep.Data.Entities;

/// <summary>
/// The latest checkpoint of a trial, kept in PostgreSQL so that a requeued trial resumes from its last completed
/// epoch on any worker, on any host. One row per trial, overwritten after every epoch.
/// </summary>
public sealed class TrialCheckpoint
{
    public Guid TrialId { get; set; }

    public int Epoch { get; set; }

    public long Step { get; set; }

    public required byte[] Data { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A pinned checkpoint is kept when its trial ends; every other one is deleted then.</summary>
    public bool Pinned { get; set; }
}

namespace Sweep.Data.Entities;

/// <summary>
/// One run of a trial on a worker, from its claim to how it ended. Written by the database itself (a trigger on
/// trials, migration TrialAttempts), so every path that moves a trial (claim, completion, failure, release, the
/// reaper, cancel) is recorded the same way. Numbers keep counting across retries; the trial's own
/// <see cref="TrialRecord.Attempt"/> is the lost-lease budget and restarts at a retry.
/// </summary>
public sealed class TrialAttemptRecord
{
    public Guid TrialId { get; set; }

    /// <summary>1, 2, … for this trial, never reused.</summary>
    public int Number { get; set; }

    /// <summary>The worker that held the lease.</summary>
    public required string Worker { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>
    /// How it ended: completed, failed, cancelled, released (its worker handed it back), or lost (its lease ran out);
    /// null while it runs.
    /// </summary>
    public string? Outcome { get; set; }

    /// <summary>The failure kind when <see cref="Outcome"/> is failed.</summary>
    public string? FailureKind { get; set; }

    /// <summary>The first line of the error, when it failed.</summary>
    public string? Error { get; set; }
}

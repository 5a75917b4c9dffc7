namespace Sweep.Web.Sweeps;

/// <summary>
/// One run of a trial on a worker, from the attempt history the database writes (table trial_attempts). Numbers keep
/// counting across retries, unlike the trial's own attempt counter (its lost-lease budget, which a retry restarts).
/// </summary>
/// <param name="Outcome">completed, failed, cancelled, released (its worker handed it back) or lost (its lease ran out); null while it runs.</param>
/// <param name="Error">The first line of the error, when it failed.</param>
public sealed record TrialAttemptView(
    int Number,
    string Worker,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Outcome,
    string? FailureKind,
    string? Error);

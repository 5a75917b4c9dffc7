using Sweep.Data.Entities;

namespace Sweep.Web.Sweeps;

public enum ExtendStatus
{
    Done,
    NotFound,

    /// <summary>A cancelled sweep starts no new trial; extending it is refused, not a silent reopening.</summary>
    Cancelled,
    Invalid,
}

/// <summary>What <see cref="SweepCreation.ExtendAsync"/> did: the trials it added (with their queue), or why not.</summary>
public sealed record SweepExtended(ExtendStatus Status, IReadOnlyList<TrialRecord> Trials, IReadOnlyDictionary<string, string[]> Errors, string? Queue = null)
{
    /// <summary>Said by the API's 409 and by the sweep page, where the extend control is off for a cancelled sweep.</summary>
    public const string CancelledReason =
        "The sweep is cancelled, so it starts no new trial and cannot be extended. To run its cancelled or failed cells again, "
        + "retry them (a trial's retry, or retry-failed, reopens the sweep); to run new cells, clone the sweep.";

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static SweepExtended NotFound { get; } = new(ExtendStatus.NotFound, [], NoErrors);

    public static SweepExtended Cancelled { get; } = new(ExtendStatus.Cancelled, [], NoErrors);

    public int Added => Trials.Count;

    public static SweepExtended Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ExtendStatus.Invalid, [], errors);

    public static SweepExtended Done(string queue, IReadOnlyList<TrialRecord> trials) => new(ExtendStatus.Done, trials, NoErrors, queue);
}

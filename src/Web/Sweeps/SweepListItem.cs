namespace Sweep.Web.Sweeps;

/// <param name="Owner">
/// Who created the sweep, as the alias the members page shows to non-owners ("member 1a2b3c4d": an e-mail address is
/// a sign-in name, not for every viewer); null for examples, older sweeps and deleted accounts.
/// </param>
/// <param name="State">The stored state: active, paused or cancelled.</param>
/// <param name="Status">What the list shows: <see cref="SweepStatus"/>.</param>
public sealed record SweepListItem(
    Guid Id,
    string Name,
    string? Owner,
    string Dataset,
    string Model,
    string State,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Counts,
    double? BestValAccuracy)
{
    /// <summary>A published example loaded at start (see Examples); users may delete it.</summary>
    public bool IsExample { get; init; }

    /// <summary>The slug of the sweep's project, which its page is addressed by.</summary>
    public string? ProjectSlug { get; init; }

    /// <summary>The name of the sweep's project.</summary>
    public string? ProjectName { get; init; }

    /// <summary>The caller created this sweep (the list shows "you").</summary>
    public bool IsMine { get; init; }

    /// <summary>The sweep's tags (<see cref="Domain.Sweeps.SweepTags"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public int TrialCount => Counts.Values.Sum();
}

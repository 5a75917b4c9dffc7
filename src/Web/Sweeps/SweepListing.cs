using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>How the sweeps list is sorted.</summary>
public enum SweepListSort
{
    Created,
    Name,
    BestAccuracy,
}

/// <summary>A page of the sweeps list: filters, sort and an offset page (1-based).</summary>
/// <param name="Name">Only sweeps whose name contains this, ignoring case.</param>
/// <param name="Status">Only sweeps in this <see cref="SweepStatus"/>.</param>
/// <param name="Project">Only sweeps of this project, by slug or id.</param>
/// <param name="Mine">Only sweeps the caller created ("Mine"); a share link created none.</param>
/// <param name="Example">Only published examples (true), or only the others (false); null lists both.</param>
public sealed record SweepListQuery(
    string? Name = null,
    string? Status = null,
    string? Dataset = null,
    string? Model = null,
    SweepListSort Sort = SweepListSort.Created,
    bool Descending = true,
    int Page = 1,
    int PageSize = 25,
    string? Project = null,
    bool Mine = false,
    bool? Example = null);

public sealed record SweepListPage(IReadOnlyList<SweepListItem> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

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

    public int TrialCount => Counts.Values.Sum();
}

/// <summary>
/// A sweep's status as the list shows it: the stored state when the sweep is paused or cancelled, else what its
/// trials are doing: running (some trial is), queued (some wait, none runs) or finished (none is left to run).
/// </summary>
public static class SweepStatus
{
    public const string Running = "running";
    public const string Queued = "queued";
    public const string Finished = "finished";
    public const string Paused = "paused";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Running, Queued, Finished, Paused, Cancelled];

    public static string Of(string state, IReadOnlyDictionary<string, int> counts) => state switch
    {
        "paused" => Paused,
        "cancelled" => Cancelled,
        _ when counts.GetValueOrDefault(TrialState.Running) > 0 => Running,
        _ when counts.GetValueOrDefault(TrialState.Queued) > 0 => Queued,
        _ => Finished,
    };
}

/// <summary>Measured speed of completed trials (<see cref="Sweep.Domain.Planning.TrialSpeed"/>: per unit of work, and start-up).</summary>
/// <param name="Device">The device class the trials ran on (cpu, cuda), or null for any.</param>
public sealed record MeasuredRate(Sweep.Domain.Planning.TrialSpeed Speed, string? Device)
{
    /// <summary>How many completed trials the speed is measured on.</summary>
    public int Trials => Speed.Trials;
}

namespace Sweep.Web.Sweeps;

/// <summary>A page of the sweeps list: filters, sort and an offset page (1-based).</summary>
/// <param name="Name">Only sweeps whose name contains this, ignoring case.</param>
/// <param name="Status">Only sweeps in this <see cref="SweepStatus"/>.</param>
/// <param name="Project">Only sweeps of this project, by slug or id.</param>
/// <param name="Mine">Only sweeps the caller created ("Mine"); a share link created none.</param>
/// <param name="Tags">Only sweeps that carry every one of these tags (normalized, see <see cref="Domain.Sweeps.SweepTags"/>).</param>
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
    bool? Example = null,
    IReadOnlyList<string>? Tags = null);

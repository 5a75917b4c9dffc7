using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>GET /api/v1/sweeps: the sweeps list, filtered and ordered as on the Home page, cursor-paged.</summary>
public static partial class SweepsApi
{
    private static readonly Dictionary<string, SweepListSort> Sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["createdAt"] = SweepListSort.Created,
        ["name"] = SweepListSort.Name,
        ["bestValAccuracy"] = SweepListSort.BestAccuracy,
    };

    /// <param name="orderBy">createdAt (default, newest first), name (A–Z) or bestValAccuracy (best first); sweeps without a result come last.</param>
    /// <param name="descending">Reverses the default direction of the order.</param>
    /// <param name="project">Only sweeps of this project, by slug or id.</param>
    /// <param name="mine">true: only the sweeps the caller created, as the list page's "Mine".</param>
    /// <param name="tag">Only sweeps with this tag; repeat it (tag=a&amp;tag=b) for sweeps that carry all of them.</param>
    /// <param name="example">true: only the published examples; false: only the other sweeps.</param>
    internal static async Task<Results<Ok<Page<SweepListItem>>, ValidationProblem>> ListAsync(
        SweepListPageQuery sweepList, string? name, string? status, string? dataset, string? model, string? orderBy, bool? descending,
        string? cursor, int? limit, string? project, bool? mine, bool? example, string[]? tag, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !SweepStatus.All.Contains(status))
        {
            errors["status"] = [$"Unknown status '{status}'. Statuses: {string.Join(", ", SweepStatus.All)}."];
        }

        var sort = SweepListSort.Created;
        if (orderBy is not null && !Sorts.TryGetValue(orderBy, out sort))
        {
            errors["orderBy"] = [$"Unknown order '{orderBy}'. Orders: {string.Join(", ", Sorts.Keys)}."];
        }

        var desc = descending ?? sort != SweepListSort.Name;
        var after = SweepCursor.Decode(cursor);
        if (cursor is not null && (after is null || after.Sort != sort || after.Descending != desc))
        {
            errors["cursor"] = ["Pass back a cursor exactly as a previous page returned it, with the same orderBy and descending."];
        }

        if (limit is < 1 or > 500)
        {
            errors["limit"] = [$"limit is between 1 and 500; got {limit}."];
        }

        var (tags, tagErrors) = SweepTags.Normalize(tag, "tag");
        foreach (var (field, messages) in tagErrors)
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The list query is not valid.");
        }

        var query = new SweepListQuery(name, status, dataset, model, sort, desc, Project: project, Mine: mine == true, Example: example, Tags: tags);
        return TypedResults.Ok(await sweepList.KeysetPageAsync(query, after, limit ?? 50, ct));
    }
}

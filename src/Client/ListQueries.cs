using System.Globalization;

namespace Sweep.Client;

/// <summary>Filters and order of GET /api/v1/sweeps; every part may be left out.</summary>
/// <param name="OrderBy">createdAt (newest first), name (A–Z) or bestValAccuracy (best first).</param>
/// <param name="Descending">Overrides the order's default direction.</param>
/// <param name="Project">Only sweeps of this project (slug or id).</param>
/// <param name="Mine">true: only the sweeps the caller created.</param>
/// <param name="Example">true: only published examples; false: only the other sweeps.</param>
/// <param name="Tags">Only sweeps that carry every one of these tags.</param>
public sealed record SweepListQuery(
    string? Name = null,
    string? Status = null,
    string? Dataset = null,
    string? Model = null,
    string? OrderBy = null,
    bool? Descending = null,
    int? Limit = null,
    string? Project = null,
    bool? Mine = null,
    bool? Example = null,
    IReadOnlyList<string>? Tags = null)
{
    internal string ToQueryString(string? cursor) => QueryString.Build(
    [
        ("name", Name), ("status", Status), ("dataset", Dataset), ("model", Model), ("orderBy", OrderBy),
        ("descending", QueryString.Of(Descending)), ("limit", QueryString.Of(Limit)), ("project", Project),
        ("mine", QueryString.Of(Mine)), ("example", QueryString.Of(Example)),
        .. (Tags ?? []).Select(t => ("tag", (string?)t)), ("cursor", cursor),
    ]);
}

/// <summary>Filters and order of GET /api/v1/sweeps/{id}/trials; every part may be left out.</summary>
/// <param name="OrderBy">grid (default) or any heatmap metric: valAccuracy, valError, generalizationGap, trainLoss, steps, …</param>
public sealed record TrialListQuery(
    string? State = null,
    int? BatchSize = null,
    int? GhostBatchSize = null,
    double? RegimeMultiplier = null,
    int? Seed = null,
    string? LrScaling = null,
    string? GbnImplementation = null,
    string? RunningStats = null,
    double? MinValAccuracy = null,
    string? OrderBy = null,
    bool? Descending = null,
    int? Limit = null)
{
    internal string ToQueryString(string? cursor) => QueryString.Build(
        ("state", State), ("batchSize", QueryString.Of(BatchSize)), ("ghostBatchSize", QueryString.Of(GhostBatchSize)),
        ("regimeMultiplier", QueryString.Of(RegimeMultiplier)), ("seed", QueryString.Of(Seed)),
        ("lrScaling", LrScaling), ("gbnImplementation", GbnImplementation), ("runningStats", RunningStats),
        ("minValAccuracy", QueryString.Of(MinValAccuracy)), ("orderBy", OrderBy), ("descending", QueryString.Of(Descending)),
        ("limit", QueryString.Of(Limit)), ("cursor", cursor));
}

internal static class QueryString
{
    public static string Build(params (string Name, string? Value)[] parts)
    {
        var present = parts.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    public static string? Of(bool? value) => value is { } v ? (v ? "true" : "false") : null;

    public static string? Of(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string? Of(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}

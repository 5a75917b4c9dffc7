using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>/api/v1/sweeps: create a sweep, read it with its trials, and project its results as a heatmap.</summary>
public static class SweepsApi
{
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sweeps").WithTags("Sweeps");

        group.MapPost("/", CreateAsync)
            .WithName("CreateSweep")
            .WithSummary("Create a sweep: one trial per valid grid cell, enqueued for the workers.")
            .Accepts<SweepRequest>("application/json");

        group.MapGet("/", ListAsync).WithName("ListSweeps").WithSummary("Sweeps, newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSweep").WithSummary("A sweep with its trials, their state and final metrics.");
        group.MapGet("/{id:guid}/heatmap", HeatmapAsync).WithName("GetSweepHeatmap").WithSummary("A final metric over two grid axes.");
        return app;
    }

    internal static async Task<Results<Created<SweepCreatedResponse>, ValidationProblem>> CreateAsync(
        HttpRequest request, SweepService sweeps, IOptions<JsonOptions> json, CancellationToken ct)
    {
        SweepRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SweepRequest>(request.Body, json.Value.SerializerOptions, ct);
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [JsonField(ex.Path)] = [JsonProblem(ex)] },
                title: "The request body is not a valid sweep.");
        }

        if (body is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body must be a JSON object."] });
        }

        var (created, errors) = await sweeps.CreateAsync(body.ToSpec(), ct);
        if (created is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The sweep is not valid.");
        }

        var response = new SweepCreatedResponse(
            created.Id,
            created.TrialCount,
            created.SkippedCells,
            created.InvalidCells.Select(c => new InvalidCellResponse(c.BatchSize, c.GhostBatchSize, c.Reason)).ToList());
        return TypedResults.Created($"/api/v1/sweeps/{created.Id}", response);
    }

    internal static async Task<Ok<IReadOnlyList<SweepSummary>>> ListAsync(SweepReader reader, int? limit, DateTimeOffset? createdBefore, CancellationToken ct) =>
        TypedResults.Ok(await reader.ListAsync(Math.Clamp(limit ?? 50, 1, 500), createdBefore, ct));

    internal static async Task<Results<Ok<SweepDetail>, NotFound>> GetAsync(Guid id, SweepReader reader, CancellationToken ct) =>
        await reader.GetAsync(id, ct) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();

    internal static async Task<Results<Ok<Heatmap>, NotFound, ValidationProblem>> HeatmapAsync(
        Guid id, [AsParameters] HeatmapRequest request, SweepReader reader, CancellationToken ct)
    {
        var (query, errors) = request.ToQuery();
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var results = await reader.ResultsAsync(id, ct);
        return results is null ? TypedResults.NotFound() : TypedResults.Ok(HeatmapProjector.Project(results, query));
    }

    private static string JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static string JsonProblem(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"Unknown field '{JsonField(ex.Path)}': it is not part of a sweep spec."
            : ex.Message.Split(" Path:", 2)[0];
}

public sealed record SweepCreatedResponse(Guid Id, int TrialCount, int SkippedCells, IReadOnlyList<InvalidCellResponse> InvalidCells);

public sealed record InvalidCellResponse(int BatchSize, int GhostBatchSize, string Reason);

/// <summary>
/// The heatmap's query: x and y name grid axes; any other axis given a value is fixed to it; the rest are averaged.
/// </summary>
public sealed record HeatmapRequest(
    string? X,
    string? Y,
    string? Metric,
    double? BatchSize,
    double? GhostBatchSize,
    double? RegimeMultiplier,
    double? Seed)
{
    public (HeatmapQuery? Query, Dictionary<string, string[]> Errors) ToQuery()
    {
        var errors = new Dictionary<string, string[]>();
        var axisNames = string.Join(", ", GridAxes.All.Select(a => a.ApiName()));
        if (!GridAxes.TryParse(X ?? "batchSize", out var x))
        {
            errors["x"] = [$"Unknown axis '{X}'. Axes: {axisNames}."];
        }

        if (!GridAxes.TryParse(Y ?? "ghostBatchSize", out var y))
        {
            errors["y"] = [$"Unknown axis '{Y}'. Axes: {axisNames}."];
        }
        else if (x == y && !errors.ContainsKey("x"))
        {
            errors["y"] = ["x and y must be different axes."];
        }

        var metric = Metric ?? MetricNames.ValAccuracy;
        if (!MetricNames.IsKnown(metric))
        {
            errors["metric"] = [$"Unknown metric '{metric}'. Metrics: {string.Join(", ", MetricNames.Final)}."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var fixedAxes = new Dictionary<GridAxis, double>();
        void Fix(GridAxis axis, double? value)
        {
            if (value is { } v)
            {
                fixedAxes[axis] = v;
            }
        }

        Fix(GridAxis.BatchSize, BatchSize);
        Fix(GridAxis.GhostBatchSize, GhostBatchSize);
        Fix(GridAxis.RegimeMultiplier, RegimeMultiplier);
        Fix(GridAxis.Seed, Seed);
        return (new HeatmapQuery(x, y, metric, fixedAxes), errors);
    }
}

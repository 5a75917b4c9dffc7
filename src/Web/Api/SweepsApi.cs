using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>/api/v1/sweeps: create a sweep, read it with its trials, and project its results as a heatmap.</summary>
public static partial class SweepsApi
{
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sweeps").WithTags("Sweeps");

        group.MapPost("/", CreateAsync)
            .WithName("CreateSweep")
            .WithSummary("Create a sweep: one trial per valid grid cell, enqueued for the workers.")
            .Accepts<SweepRequest>("application/json")
            .AddOpenApiOperationTransformer(DocumentIdempotencyKey)
            .RequireAccount();

        group.MapGet("/", ListAsync).RequireAccount().WithName("ListSweeps").WithSummary("Sweeps filtered by name, status, dataset, model, project, creator (mine) and example, ordered by creation, name or best validation accuracy; cursor-paged.");
        group.MapGet("/{id:guid}", GetAsync).RequireSweepAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("GetSweep").WithSummary("A sweep with its trials, their state and final metrics.");
        group.MapGet("/{id:guid}/heatmap", HeatmapAsync).RequireSweepAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("GetSweepHeatmap")
            .WithSummary("A metric over two grid axes, final, best or at an epoch; with facet, one heatmap per value of a third axis.")
            .WithDescription("Answers carry an ETag of the sweep's results: send it in If-None-Match to get 304 Not Modified while no trial changed.")
            .Produces(StatusCodes.Status304NotModified);
        group.MapGet("/{id:guid}/trials", TrialsAsync).RequireSweepAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("ListSweepTrials").WithSummary("Trials, filtered by grid values (every axis), state and minimum validation accuracy, ordered by grid values or any heatmap metric (missing values last); cursor-paged.");
        group.MapPost("/{id:guid}/pause", (Guid id, SweepLifecycle control, CancellationToken ct) => Control(control.PauseAsync(id, ct), "Only an active sweep can be paused."))
            .RequireSweepAccess(ProjectRoles.Editor).WithName("PauseSweep").WithSummary("Start no new trial; running trials finish.");
        group.MapPost("/{id:guid}/resume", (Guid id, SweepLifecycle control, CancellationToken ct) => Control(control.ResumeAsync(id, ct), "Only a paused sweep can be resumed."))
            .RequireSweepAccess(ProjectRoles.Editor).WithName("ResumeSweep").WithSummary("Start trials again.");
        group.MapPost("/{id:guid}/cancel", (Guid id, SweepLifecycle control, CancellationToken ct) => Control(control.CancelAsync(id, ct), "The sweep is already cancelled."))
            .RequireSweepAccess(ProjectRoles.Editor).WithName("CancelSweep").WithSummary("Cancel queued and running trials; running trainers stop within seconds, keeping their metrics.");
        group.MapDelete("/{id:guid}", (Guid id, SweepLifecycle control, CancellationToken ct) => Control(control.DeleteAsync(id, ct), "The sweep still has queued or running trials: cancel it first."))
            .RequireSweepAccess(ProjectRoles.Editor).WithName("DeleteSweep").WithSummary("Delete a settled sweep with its trials, metrics and checkpoints (examples included).");
        group.MapPost("/{id:guid}/retry-failed", RetryFailedAsync).RequireSweepAccess(ProjectRoles.Editor).WithName("RetryFailedTrials").WithSummary("Requeue every failed trial of the sweep.");
        group.MapPost("/{id:guid}/extend", ExtendAsync).RequireSweepAccess(ProjectRoles.Editor).WithName("ExtendSweep").WithSummary("Add axis values or seeds; only the missing cells are created.");
        return app;
    }

    /// <summary>Maps a control action to 204, 404, or 409 with a ProblemDetails saying why.</summary>
    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Control(Task<ControlResult> action, string conflict) =>
        await action switch
        {
            ControlResult.Done => TypedResults.NoContent(),
            ControlResult.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem(conflict, statusCode: StatusCodes.Status409Conflict, title: "The action does not apply in the current state."),
        };

    internal static async Task<Results<Ok<RetriedResponse>, NotFound>> RetryFailedAsync(Guid id, SweepLifecycle control, CancellationToken ct)
    {
        var (result, count) = await control.RetryFailedAsync(id, ct);
        return result == ControlResult.NotFound ? TypedResults.NotFound() : TypedResults.Ok(new RetriedResponse(count));
    }

    internal static async Task<Results<Ok<ExtendedResponse>, NotFound, ValidationProblem, ProblemHttpResult>> ExtendAsync(Guid id, SweepExtension extension, SweepCreation sweeps, CancellationToken ct)
    {
        var outcome = await sweeps.ExtendAsync(id, extension, ct);
        return outcome.Status switch
        {
            ExtendStatus.NotFound => TypedResults.NotFound(),
            ExtendStatus.Cancelled => TypedResults.Problem(SweepExtended.CancelledReason, statusCode: StatusCodes.Status409Conflict, title: "A cancelled sweep cannot be extended."),
            ExtendStatus.Invalid => TypedResults.ValidationProblem(outcome.Errors, title: "The extension is not valid."),
            _ => TypedResults.Ok(new ExtendedResponse(outcome.Added)),
        };
    }

    internal static async Task<Results<Ok<Page<TrialView>>, NotFound, ValidationProblem>> TrialsAsync(
        Guid id, SweepTrialsQuery sweepTrials, string? state, int? batchSize, int? ghostBatchSize, double? regimeMultiplier, int? seed,
        string? lrScaling, string? gbnImplementation, string? runningStats,
        double? minValAccuracy, string? orderBy, bool? descending, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var rule = Category<LrScaling>("lrScaling", lrScaling, errors);
        var gbn = Category<GbnImplementation>("gbnImplementation", gbnImplementation, errors);
        var stats = Category<RunningStatsPolicy>("runningStats", runningStats, errors);
        if (state is not null && !TrialState.All.Contains(state))
        {
            errors["state"] = [$"Unknown state '{state}'. States: {string.Join(", ", TrialState.All)}."];
        }

        if (orderBy is not null && !TrialOrder.IsKnown(orderBy))
        {
            errors["orderBy"] = [$"Unknown order '{orderBy}'. Orders: {string.Join(", ", TrialOrder.Names)}."];
        }

        if (!Cursor.IsValid(cursor))
        {
            errors["cursor"] = ["Pass back a cursor exactly as a previous page returned it."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var filter = new TrialFilter(state, batchSize, ghostBatchSize, regimeMultiplier, seed, minValAccuracy, orderBy, descending ?? false, cursor, Math.Clamp(limit ?? 100, 1, 1000))
        {
            LrScaling = rule,
            GbnImplementation = gbn,
            RunningStats = stats,
        };
        return await sweepTrials.TrialsAsync(id, filter, ct) is { } page ? TypedResults.Ok(page) : TypedResults.NotFound();
    }

    /// <summary>A categorical axis value in its stored spelling, or null; an unknown value is a field error listing the known ones.</summary>
    private static string? Category<T>(string field, string? value, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (ApiNames.TryParse<T>(value) is { } parsed)
        {
            return ApiNames.Of(parsed);
        }

        errors[field] = [$"Unknown {field} '{value}'. Values: {string.Join(", ", Enum.GetValues<T>().Select(v => ApiNames.Of(v)))}."];
        return null;
    }

    internal static async Task<Results<Ok<SweepDetail>, NotFound>> GetAsync(Guid id, SweepDetailQuery details, CancellationToken ct) =>
        await details.GetAsync(id, ct) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();

    /// <summary>
    /// The heatmap with an ETag of the sweep's results version (ADR 0013): a client that sends it back in
    /// If-None-Match gets 304 while nothing changed, and a repeated read at an unchanged version is served from
    /// <see cref="HeatmapCache"/>.
    /// </summary>
    internal static async Task<Results<Ok<Heatmap>, Ok<FacetedHeatmap>, StatusCodeHttpResult, NotFound, ValidationProblem>> HeatmapAsync(
        Guid id, [AsParameters] HeatmapRequest request, HttpContext http, HeatmapReader heatmaps, CancellationToken ct)
    {
        var (query, facet, errors) = request.ToQuery();
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var version = await heatmaps.VersionAsync(id, request, ct);
        http.Response.Headers.ETag = version.ETag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (IfNoneMatch(http.Request, version.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return await heatmaps.ProjectAsync(id, request, query, facet, version, ct) switch
        {
            Heatmap map => TypedResults.Ok(map),
            FacetedHeatmap faceted => TypedResults.Ok(faceted),
            _ => TypedResults.NotFound(),
        };
    }

    private static bool IfNoneMatch(HttpRequest request, string etag) =>
        request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
        && tags.Any(t => t.Equals(Microsoft.Net.Http.Headers.EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
}

public sealed record RetriedResponse(int Requeued);

public sealed record ExtendedResponse(int Added);

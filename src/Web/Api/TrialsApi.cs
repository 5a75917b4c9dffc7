using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>/api/v1/trials: one trial, its metric history and checkpoint, and its controls.</summary>
public static class TrialsApi
{
    /// <summary>The cursor to pass back as ?after= for the output that comes next.</summary>
    public const string LogCursorHeader = "Sweep-Log-Cursor";

    /// <summary>The attempt the page is from (the latest, unless the request named one).</summary>
    public const string LogAttemptHeader = "Sweep-Log-Attempt";

    public static IEndpointRouteBuilder MapTrialsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/trials").WithTags("Trials");
        group.MapGet("/{id:guid}", GetAsync).RequireTrialAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("GetTrial").WithSummary("A trial with its resolved configuration, environment and error.");
        group.MapGet("/{id:guid}/metrics", MetricsAsync).RequireTrialAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("GetTrialMetrics").WithSummary("Metric history as (key, value, step, timestamp), keyset-paged.");
        group.MapGet("/{id:guid}/logs", LogsAsync).RequireTrialAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("GetTrialLogs")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .WithSummary("An attempt's trainer output (stdout and stderr) after a cursor: text/plain, or JSON chunks with Accept: application/json; the next cursor is in the Sweep-Log-Cursor header.");
        group.MapGet("/{id:guid}/checkpoint", CheckpointAsync).RequireTrialAccess(ProjectRoles.Viewer).AllowShareLinks().WithName("DownloadCheckpoint").WithSummary("The latest checkpoint (model, optimizer, epoch).");
        group.MapPost("/{id:guid}/checkpoint/pin", (Guid id, TrialCheckpoints checkpoints, CancellationToken ct) => SweepsApi.Control(checkpoints.SetPinnedAsync(id, true, ct), ""))
            .RequireTrialAccess(ProjectRoles.Editor).WithName("PinCheckpoint").WithSummary("Keep the trial's checkpoint when the trial ends (404: it has none).");
        group.MapDelete("/{id:guid}/checkpoint/pin", (Guid id, TrialCheckpoints checkpoints, CancellationToken ct) => SweepsApi.Control(checkpoints.SetPinnedAsync(id, false, ct), ""))
            .RequireTrialAccess(ProjectRoles.Editor).WithName("UnpinCheckpoint").WithSummary("Unpin; the checkpoint of a trial that completed, diverged or ran out of memory is deleted at once.");
        group.MapPost("/{id:guid}/cancel", (Guid id, SweepLifecycle control, CancellationToken ct) => SweepsApi.Control(control.CancelTrialAsync(id, ct), "Only a queued or running trial can be cancelled."))
            .RequireTrialAccess(ProjectRoles.Editor).WithName("CancelTrial").WithSummary("Cancel a queued or running trial; a running trainer stops within seconds, keeping its metrics.");
        group.MapPost("/{id:guid}/retry", (Guid id, bool? fresh, SweepLifecycle control, CancellationToken ct) => SweepsApi.Control(control.RetryTrialAsync(id, fresh ?? false, ct), "Only a failed or cancelled trial can be retried."))
            .RequireTrialAccess(ProjectRoles.Editor).WithName("RetryTrial").WithSummary("Requeue a failed or cancelled trial; it resumes from its checkpoint unless fresh=true.");
        group.MapPut("/{id:guid}/priority", SetPriorityAsync).RequireTrialAccess(ProjectRoles.Editor).WithName("SetTrialPriority").WithSummary("1 high, 0 normal, −1 low.");
        return app;
    }

    internal static async Task<Results<Ok<TrialDetail>, NotFound>> GetAsync(Guid id, TrialDetailQuery trialDetails, CancellationToken ct) =>
        await trialDetails.TrialAsync(id, ct) is { } trial ? TypedResults.Ok(trial) : TypedResults.NotFound();

    internal static async Task<Results<Ok<Page<MetricPointView>>, NotFound, ValidationProblem>> MetricsAsync(
        Guid id, string? key, string? cursor, int? limit, MetricHistoryQuery metricHistory, CancellationToken ct)
    {
        if (!Cursor.IsValid(cursor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Pass back a cursor exactly as a previous page returned it."] });
        }

        return await metricHistory.MetricsAsync(id, key, cursor, Math.Clamp(limit ?? 1000, 1, 10_000), ct) is { } page
            ? TypedResults.Ok(page)
            : TypedResults.NotFound();
    }

    /// <summary>
    /// The text after <paramref name="after"/> (from the start of the attempt's kept tail without one); the latest
    /// attempt unless <paramref name="attempt"/> names one. The cursor and the attempt go in headers, so that a
    /// plain-text body is only the log.
    /// </summary>
    internal static async Task<Results<ContentHttpResult, Ok<TrialLogPage>, NotFound, ValidationProblem>> LogsAsync(
        Guid id, int? attempt, string? after, HttpRequest request, HttpResponse response, TrialLogQuery logs, CancellationToken ct)
    {
        if (TrialLogQuery.DecodeCursor(after) is not { } position)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Pass back a Sweep-Log-Cursor exactly as a previous response returned it."] });
        }

        if (attempt is < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["attempt"] = [$"attempt is an attempt's number, 1 or more; got {attempt}."] });
        }

        if (await logs.PageAsync(id, attempt, position, ct) is not { } page)
        {
            return TypedResults.NotFound();
        }

        response.Headers[LogCursorHeader] = page.Cursor;
        if (page.Attempt is { } number)
        {
            response.Headers[LogAttemptHeader] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        return request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.Ok(page)
            : TypedResults.Text(page.Text, "text/plain; charset=utf-8");
    }

    /// <summary>Streamed from the database (<see cref="CheckpointFile"/>); a heavy read, limited per credential.</summary>
    [EnableRateLimiting(HeavyReadLimits.Policy)]
    internal static async Task<Results<CheckpointFile, NotFound>> CheckpointAsync(Guid id, IDbContextFactory<SweepDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Checkpoints.AnyAsync(c => c.TrialId == id, ct) ? new CheckpointFile(id) : TypedResults.NotFound();
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult, ValidationProblem>> SetPriorityAsync(
        Guid id, PriorityRequest request, SweepLifecycle control, CancellationToken ct)
    {
        if (request.Priority is < -1 or > 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["priority"] = [$"priority is 1 (high), 0 (normal) or -1 (low); got {request.Priority}."] });
        }

        return await SweepsApi.Control(control.SetPriorityAsync(id, request.Priority, ct), "") switch
        {
            { Result: NoContent } => TypedResults.NoContent(),
            _ => TypedResults.NotFound(),
        };
    }
}

public sealed record PriorityRequest(int Priority);

using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>/api/v1/checkpoints: what the stored checkpoints weigh, for whoever watches the database grow.</summary>
public static class CheckpointsApi
{
    public static IEndpointRouteBuilder MapCheckpointsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/checkpoints").WithTags("Workers").RequireAccount()
            .MapGet("/summary", SummaryAsync).WithName("CheckpointSummary")
            .WithSummary("Count and bytes of the stored checkpoints (all, pinned), and per sweep for the largest sweeps you can read.");
        return app;
    }

    internal static async Task<Ok<CheckpointSummary>> SummaryAsync(TrialCheckpoints checkpoints, SweepAccess access, CancellationToken ct) =>
        TypedResults.Ok(await checkpoints.SummaryAsync(await access.ReadableProjectsAsync(ct), ct));
}

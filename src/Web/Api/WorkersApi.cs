using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Web.Api;

/// <summary>/api/v1/workers: the registered workers, and pausing or resuming one.</summary>
public static class WorkersApi
{
    /// <summary>A worker whose heartbeat is older than this is shown as unresponsive.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workers").WithTags("Workers");
        group.MapGet("/", ListAsync).WithName("ListWorkers").WithSummary("Workers with name, host, device, version, current trial and heartbeat.");
        group.MapPost("/{name}/pause", (string name, IDbContextFactory<SweepDbContext> db, CancellationToken ct) => SetStateAsync(db, name, "paused", "Paused through the API.", ct))
            .WithName("PauseWorker");
        group.MapPost("/{name}/resume", (string name, IDbContextFactory<SweepDbContext> db, CancellationToken ct) => SetStateAsync(db, name, "active", null, ct))
            .WithName("ResumeWorker").WithSummary("Resume a worker that paused itself after repeated failures.");
        return app;
    }

    internal static async Task<Ok<List<WorkerView>>> ListAsync(IDbContextFactory<SweepDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var workers = await db.Workers.AsNoTracking().OrderBy(w => w.Name).ToListAsync(ct);
        return TypedResults.Ok(workers.Select(w => new WorkerView(
            w.Name, w.Host, w.Device, w.Version, w.Queues.Split(','),
            w.State == "active" && now - w.HeartbeatAt > Stale ? "unresponsive" : w.State,
            w.PausedReason, w.CurrentTrialId, w.ConsecutiveFailures, w.TrialsRun, w.StartedAt, w.HeartbeatAt)).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> SetStateAsync(IDbContextFactory<SweepDbContext> contexts, string name, string state, string? reason, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var updated = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE workers SET state = {state}, paused_reason = {reason}, consecutive_failures = CASE WHEN {state} = 'active' THEN 0 ELSE consecutive_failures END WHERE name = {name} AND state <> 'stopped'",
            ct);
        return updated == 1 ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}

public sealed record WorkerView(
    string Name,
    string Host,
    string Device,
    string Version,
    IReadOnlyList<string> Queues,
    string State,
    string? PausedReason,
    Guid? CurrentTrialId,
    int ConsecutiveFailures,
    int TrialsRun,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt);

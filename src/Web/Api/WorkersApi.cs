using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Commands;
using Sweep.Domain.Sweeps;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>/api/v1/workers: the registered workers, and pausing or resuming one.</summary>
public static class WorkersApi
{
    /// <summary>A worker whose heartbeat is older than this is shown as unresponsive.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(60);

    /// <summary>A view state only: an active row whose heartbeat is <see cref="Stale"/>. Never stored.</summary>
    private const string Unresponsive = "unresponsive";

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workers").WithTags("Workers").RequireAccount();
        group.MapGet("/", ListAsync).WithName("ListWorkers").WithSummary("Workers with name, host, device, version, current trial and heartbeat; by name, cursor-paged.");
        group.MapPost("/{name}/pause", (string name, WorkerCommands workers, CancellationToken ct) => Changed(workers.PauseAsync(name, WorkerPausedBy.Administrator, PausedReason, ct)))
            .RequireAdmin().WithName("PauseWorker").WithSummary("Pause a worker: it finishes its current trial and takes no other, across restarts, until resumed.");
        group.MapPost("/{name}/resume", (string name, WorkerCommands workers, CancellationToken ct) => Changed(workers.ResumeAsync(name, ct)))
            .RequireAdmin().WithName("ResumeWorker").WithSummary("Resume a worker that paused itself after repeated failures, or was paused through the API.");
        return app;
    }

    /// <summary>Workers by name, keyset-paged: the cursor carries the last name, so a page never repeats or skips one.</summary>
    internal static async Task<Results<Ok<Page<WorkerView>>, ValidationProblem>> ListAsync(
        IDbContextFactory<SweepDbContext> contexts, SweepAccess access, string? cursor, int? limit, CancellationToken ct)
    {
        var after = WorkerCursor(cursor);
        if (cursor is not null && after is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Pass back a cursor exactly as a previous page returned it."] });
        }

        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is between 1 and 500; got {limit}."] });
        }

        var take = limit ?? 100;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var query = db.Workers.AsNoTracking();
        if (after is not null)
        {
            // Translated to SQL's ">" on the column, the order the keyset index has; an ordinal overload would not translate.
#pragma warning disable CA1309
            query = query.Where(w => string.Compare(w.Name, after) > 0);
#pragma warning restore CA1309
        }

        var workers = await query.OrderBy(w => w.Name).Take(take + 1).ToListAsync(ct);
        var visible = await VisibleTrialsAsync(db, access, workers.Select(w => w.CurrentTrialId), ct);
        var items = workers.Take(take).Select(w => new WorkerView(
            w.Name, w.Host, w.Device, w.Version, w.Queues.Split(','),
            w.State == WorkerState.Active && now - w.HeartbeatAt > Stale ? Unresponsive : w.State,
            w.PausedReason, w.CurrentTrialId is { } trial && visible.Contains(trial) ? trial : null, w.ConsecutiveFailures, w.TrialsRun, w.StartedAt, w.HeartbeatAt, w.PausedBy)).ToList();
        return TypedResults.Ok(new Page<WorkerView>(items, workers.Count > take ? Cursor.EncodeText(WorkerCursorPrefix + items[^1].Name) : null));
    }

    /// <summary>
    /// The workers' current trials that the caller may read: a trial id in another team's private project says that
    /// the project exists and is running, so it is shown only to those who could open the trial.
    /// </summary>
    private static async Task<HashSet<Guid>> VisibleTrialsAsync(SweepDbContext db, SweepAccess access, IEnumerable<Guid?> trials, CancellationToken ct)
    {
        var ids = trials.OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var readable = await access.ReadableProjectsAsync(ct);
        var query = db.Trials.AsNoTracking().Where(t => ids.Contains(t.Id));
        if (readable is not null)
        {
            query = query.Where(t => db.Sweeps.Any(s => s.Id == t.SweepId && readable.Contains(s.ProjectId)));
        }

        return (await query.Select(t => t.Id).ToListAsync(ct)).ToHashSet();
    }

    private const string WorkerCursorPrefix = "w1\n";

    private static string? WorkerCursor(string? cursor) =>
        Cursor.DecodeText(cursor) is { } text && text.StartsWith(WorkerCursorPrefix, StringComparison.Ordinal) ? text[WorkerCursorPrefix.Length..] : null;

    /// <summary>The reason an administrator's pause shows (the migration FencingAndPauses also recognises it).</summary>
    private const string PausedReason = "Paused through the API.";

    private static async Task<Results<NoContent, NotFound>> Changed(Task<bool> command) =>
        await command ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <summary>A registered worker. <c>PausedBy</c>: who paused it (administrator or worker); an administrator's pause
/// outlasts a stop, so a stopped worker that shows it comes back paused.</summary>
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
    DateTimeOffset HeartbeatAt,
    string? PausedBy);

using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// One sweep with all its trials, their counts by state and its progress: what the sweep page and GET
/// /api/v1/sweeps/{id} show. Access is checked before a read by id gets here (ApiAccessMiddleware, ResourceGate).
/// </summary>
public sealed class SweepDetailQuery(IDbContextFactory<SweepDbContext> contexts)
{
    public async Task<SweepDetail?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null)
        {
            return null;
        }

        // Project to the view in SQL: the rows' jsonb config and environment are not read for a list of 10,000.
        var views = await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == id)
            .OrderByGrid()
            .Select(TrialViews.ViewOf)
            .ToListAsync(ct);
        views = await GuardMetrics.JoinAsync(contexts, views, ct);
        var activeWorkers = await ActiveWorkersAsync(db, ct);
        return DetailOf(sweep, views, activeWorkers);
    }

    /// <summary>
    /// Epochs done and planned, compute spent (finished trials' wall time plus running ones' so far), and an ETA:
    /// the measured seconds per epoch times the epochs left, spread over the active workers.
    /// </summary>
    public static SweepProgress Progress(IReadOnlyCollection<TrialView> trials, int activeWorkers)
    {
        var now = DateTimeOffset.UtcNow;
        var compute = trials.Sum(t => t.StartedAt is { } start ? ((t.FinishedAt ?? (t.State == TrialState.Running ? now : start)) - start).TotalSeconds : 0);
        var done = trials.Sum(t => (long)t.CurrentEpoch);
        var planned = trials.Where(t => t.State != TrialState.Cancelled).Sum(t => (long)Math.Max(t.TotalEpochs, t.CurrentEpoch));
        var measured = trials.Where(t => t.CurrentEpoch > 0 && t.StartedAt is not null).ToList();
        double? eta = null;
        if (measured.Count > 0)
        {
            var secondsPerEpoch = measured.Sum(t => ((t.FinishedAt ?? now) - t.StartedAt!.Value).TotalSeconds) / measured.Sum(t => t.CurrentEpoch);
            var left = trials.Where(t => t.State is TrialState.Queued or TrialState.Running).Sum(t => (long)Math.Max(0, t.TotalEpochs - t.CurrentEpoch));
            eta = secondsPerEpoch * left / Math.Max(1, activeWorkers);
        }

        return new SweepProgress(done, planned, compute, eta, activeWorkers);
    }

    public static IReadOnlyDictionary<string, int> CountStates(IEnumerable<string> states)
    {
        var counts = TrialState.All.ToDictionary(s => s, _ => 0);
        foreach (var state in states)
        {
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }

    /// <summary>Workers whose heartbeat is under a minute old: what the ETA is spread over.</summary>
    internal static Task<int> ActiveWorkersAsync(SweepDbContext db, CancellationToken ct) =>
        db.Workers.CountAsync(w => w.State == WorkerState.Active && w.HeartbeatAt > DateTimeOffset.UtcNow.AddSeconds(-60), ct);

    /// <summary>The detail of a sweep row and its trials, shared by the whole read and the live page's refresh.</summary>
    internal static SweepDetail DetailOf(SweepRecord sweep, IReadOnlyList<TrialView> trials, int activeWorkers) => new(
        sweep.Id, sweep.Name, sweep.Dataset, sweep.Model, sweep.State, sweep.CreatedAt, sweep.SkippedCells,
        CountStates(trials.Select(v => v.State)), Progress(trials, activeWorkers), SweepJson.Deserialize(sweep.Spec), trials)
    {
        IsExample = sweep.IsExample,
        Tags = sweep.Tags,
        Notes = sweep.Notes,
        NotesHtml = MarkdownNote.ToHtml(sweep.Notes),
    };
}

using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Read side of sweeps, shared by the REST API and the Blazor pages.</summary>
public sealed class SweepReader(IDbContextFactory<SweepDbContext> contexts)
{
    public async Task<SweepDetail?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null)
        {
            return null;
        }

        var trials = await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == id)
            .OrderBy(t => t.BatchSize).ThenBy(t => t.GhostBatchSize).ThenBy(t => t.RegimeMultiplier).ThenBy(t => t.Seed)
            .ToListAsync(ct);
        var views = trials.Select(ToView).ToList();
        return new SweepDetail(
            sweep.Id, sweep.Name, sweep.Dataset, sweep.Model, sweep.CreatedAt, sweep.SkippedCells,
            CountStates(views.Select(v => v.State)), SweepJson.Deserialize(sweep.Spec), views);
    }

    /// <summary>Newest first, keyset-paged on (created_at, id) so that deep pages stay fast.</summary>
    public async Task<IReadOnlyList<SweepSummary>> ListAsync(int limit, DateTimeOffset? createdBefore, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Sweeps.AsNoTracking();
        if (createdBefore is { } before)
        {
            query = query.Where(s => s.CreatedAt < before);
        }

        var page = await query
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(limit)
            .Select(s => new
            {
                s.Id, s.Name, s.Dataset, s.Model, s.CreatedAt,
                States = s.Trials.GroupBy(t => t.State).Select(g => new { State = g.Key, Count = g.Count() }).ToList(),
                Best = s.Trials.Max(t => t.Final.ValAccuracy),
            })
            .ToListAsync(ct);
        return page.Select(s => new SweepSummary(
            s.Id, s.Name, s.Dataset, s.Model, s.CreatedAt,
            CountStates(s.States.SelectMany(x => Enumerable.Repeat(x.State, x.Count))),
            s.Best)).ToList();
    }

    public async Task<IReadOnlyList<TrialResult>?> ResultsAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return null;
        }

        var trials = await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId).ToListAsync(ct);
        return trials.Select(t => new TrialResult(
            new TrialCell(t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed),
            t.State,
            t.State == TrialState.Completed ? Metrics(t.Final) : new Dictionary<string, double>())).ToList();
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

    private static TrialView ToView(TrialRecord t) => new(
        t.Id, t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.State, t.CurrentEpoch, t.TotalEpochs,
        t.Attempt, t.FailureKind, t.Error, t.StartedAt, t.FinishedAt, Metrics(t.Final));

    private static Dictionary<string, double> Metrics(FinalMetrics f)
    {
        var metrics = new Dictionary<string, double>();
        void Add(string key, double? value)
        {
            if (value is { } v)
            {
                metrics[key] = v;
            }
        }

        Add(MetricNames.TrainLoss, f.TrainLoss);
        Add(MetricNames.TrainAccuracy, f.TrainAccuracy);
        Add(MetricNames.ValLoss, f.ValLoss);
        Add(MetricNames.ValAccuracy, f.ValAccuracy);
        Add(MetricNames.GeneralizationGap, f.GeneralizationGap);
        Add(MetricNames.WeightDistance, f.WeightDistance);
        Add(MetricNames.Steps, f.Steps);
        Add(MetricNames.WallSeconds, f.WallSeconds);
        return metrics;
    }
}

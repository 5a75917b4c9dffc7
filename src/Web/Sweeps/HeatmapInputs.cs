using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Turns what the sweep queries return into the projector's input, shared by the heatmap API and the sweep page.</summary>
public static class HeatmapInputs
{
    /// <summary>
    /// The page's trial rows as results: final metrics (with the guard inputs the views carry, see <see cref="GuardMetrics"/>)
    /// only for completed trials, as the API reads them.
    /// </summary>
    public static IReadOnlyList<TrialResult> FromViews(IEnumerable<TrialView> trials) =>
        trials.Select(t => new TrialResult(
            t.Cell,
            t.State,
            t.State == TrialState.Completed ? t.Metrics : new Dictionary<string, double>()) { Id = t.Id }).ToList();

    /// <summary>
    /// Adds the per-epoch history a query at <paramref name="at"/> needs (none for final, which reads the final
    /// columns): every epoch for best, one epoch for epoch N, of the metric's recorded key only.
    /// </summary>
    public static async Task<IReadOnlyList<TrialResult>> WithHistoryAsync(
        EpochValuesQuery epochValues, Guid sweepId, IReadOnlyList<TrialResult> results, string metric, PointInTime at, CancellationToken ct) =>
        WithHistory(results, metric, await HistoryAsync(epochValues, sweepId, metric, at, ct));

    /// <summary>
    /// The history that <see cref="WithHistory"/> adds, by trial: null for final, except for a metric whose final value
    /// is its latest (<see cref="MetricNames.LatestIsFinal"/>). It needs no trial rows, so a caller may read it while
    /// it reads them.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<EpochValue>>?> HistoryAsync(
        EpochValuesQuery epochValues, Guid sweepId, string metric, PointInTime at, CancellationToken ct) =>
        at.Kind == PointInTimeKind.Final && !MetricNames.LatestIsFinal.Contains(metric)
            ? null
            : await epochValues.EpochValuesAsync(sweepId, MetricNames.SourceKey(metric), at.Kind == PointInTimeKind.Epoch ? at.Epoch : null, ct);

    /// <summary>The results with each trial's history of the metric's recorded key (unchanged when there is none).</summary>
    public static IReadOnlyList<TrialResult> WithHistory(
        IReadOnlyList<TrialResult> results, string metric, IReadOnlyDictionary<Guid, IReadOnlyList<EpochValue>>? history)
    {
        if (history is null)
        {
            return results;
        }

        var key = MetricNames.SourceKey(metric);
        return results.Select(r => r with
        {
            History = new Dictionary<string, IReadOnlyList<EpochValue>> { [key] = history.GetValueOrDefault(r.Id) ?? [] },
        }).ToList();
    }
}

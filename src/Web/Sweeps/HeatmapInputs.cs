using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Turns what the reader returns into the projector's input, shared by the heatmap API and the sweep page.</summary>
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
        SweepReader reader, Guid sweepId, IReadOnlyList<TrialResult> results, string metric, PointInTime at, CancellationToken ct)
    {
        if (at.Kind == PointInTimeKind.Final)
        {
            return results;
        }

        var key = MetricNames.SourceKey(metric);
        var history = await reader.EpochValuesAsync(sweepId, key, at.Kind == PointInTimeKind.Epoch ? at.Epoch : null, ct);
        return results.Select(r => r with
        {
            History = new Dictionary<string, IReadOnlyList<EpochValue>> { [key] = history.GetValueOrDefault(r.Id) ?? [] },
        }).ToList();
    }
}

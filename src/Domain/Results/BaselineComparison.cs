using Sweep.Domain.Statistics;

namespace Sweep.Domain.Results;

/// <summary>
/// A heatmap cell against the baseline cell: the seed-paired difference of the plotted metric, and the guard flags
/// that need the baseline (an optimization gap). The baseline's trials are taken among all trials, as for the
/// paper's gap, so that fixing an axis for the plot does not hide the reference cell.
/// </summary>
internal sealed class BaselineComparison
{
    /// <summary>The axes that define the baseline cell; the other non-seed axes are matched to the cell's values.</summary>
    private static readonly GridAxis[] CellAxes = [GridAxis.BatchSize, GridAxis.GhostBatchSize, GridAxis.RegimeMultiplier];

    private readonly BaselineCell baseline;
    private readonly List<TrialResult> baselineTrials;
    private readonly Func<TrialResult, double> value;

    private BaselineComparison(BaselineCell baseline, List<TrialResult> baselineTrials, Func<TrialResult, double> value)
    {
        this.baseline = baseline;
        this.baselineTrials = baselineTrials;
        this.value = value;
    }

    /// <summary>
    /// The comparison for a query, or null without a baseline. <paramref name="value"/> reads the compared metric
    /// (for the paper's gap, which is already baseline − cell, the validation accuracy).
    /// </summary>
    public static BaselineComparison? For(HeatmapQuery query, IReadOnlyList<TrialResult> all, Func<TrialResult, double> value) =>
        query.Baseline is { } b ? new BaselineComparison(b, all.Where(t => IsBaseline(t, b)).ToList(), value) : null;

    /// <summary>baseline − cell by seed; null for the baseline cell itself or when either side has no finite value.</summary>
    public Difference? ToBaseline(IReadOnlyList<TrialResult> cell)
    {
        if (cell.Count == 0 || cell.All(t => IsBaseline(t, baseline)))
        {
            return null;
        }

        return Differences.Between(BySeed(Reference(cell), value), BySeed(cell, value));
    }

    /// <summary>True when the cell's clean train accuracy deficit to the baseline explains most of its validation gap.</summary>
    public bool IsOptimizationGap(IReadOnlyList<TrialResult> cell)
    {
        if (cell.Count == 0 || cell.All(t => IsBaseline(t, baseline)))
        {
            return false;
        }

        var reference = Reference(cell);
        var means = new[]
        {
            FinalMean(reference, MetricNames.TrainAccuracy), FinalMean(cell, MetricNames.TrainAccuracy),
            FinalMean(reference, MetricNames.ValAccuracy), FinalMean(cell, MetricNames.ValAccuracy),
        };
        return means.All(double.IsFinite) && Guards.IsOptimizationGap(means[0], means[1], means[2], means[3]);
    }

    /// <summary>
    /// The baseline trials that share the cell's values of every other non-seed axis (e.g. the same LR rule), when
    /// any do; else all the baseline's trials.
    /// </summary>
    private List<TrialResult> Reference(IReadOnlyList<TrialResult> cell)
    {
        var others = GridAxes.All.Where(a => a != GridAxis.Seed && !CellAxes.Contains(a)).ToList();
        var matched = baselineTrials
            .Where(b => others.All(a => cell.Any(t => t.AxisValue(a) == b.AxisValue(a))))
            .ToList();
        return matched.Count > 0 ? matched : baselineTrials;
    }

    /// <summary>Each seed's mean finite value: a seed repeated over averaged axes counts once.</summary>
    private static Dictionary<int, double> BySeed(IEnumerable<TrialResult> trials, Func<TrialResult, double> read) =>
        trials.Select(t => (t.Cell.Seed, Value: read(t)))
            .Where(s => double.IsFinite(s.Value))
            .GroupBy(s => s.Seed)
            .ToDictionary(g => g.Key, g => g.Average(s => s.Value));

    private static double FinalMean(IEnumerable<TrialResult> trials, string key) =>
        trials.Select(t => t.Metrics.TryGetValue(key, out var v) ? v : double.NaN)
            .Where(double.IsFinite)
            .DefaultIfEmpty(double.NaN)
            .Average();

    internal static bool IsBaseline(TrialResult t, BaselineCell b) =>
        t.Cell.BatchSize == b.BatchSize && t.Cell.GhostBatchSize == b.GhostBatchSize
        && Math.Abs(t.Cell.RegimeMultiplier - b.RegimeMultiplier) <= 1e-9 * Math.Max(1, Math.Abs(b.RegimeMultiplier));
}

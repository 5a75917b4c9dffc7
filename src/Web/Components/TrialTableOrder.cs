using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>
/// The trial table's sortable columns, its order and its best row. Trials without a value for the sorted column go
/// last whichever the direction, so that sorting by accuracy puts results first, not the trials that have none yet.
/// </summary>
public static class TrialTableOrder
{
    /// <summary>The metric the best row is chosen by: the sweep's headline result, final validation accuracy.</summary>
    public const string BestMetric = MetricNames.ValAccuracy;

    /// <summary>A sortable column: its key (the sort button's id is sort-{key}) and the value trials are ordered by.</summary>
    public sealed record Column(string Key, string Label, Func<TrialView, IComparable?> Value, string? Title = null);

    public static IReadOnlyList<Column> Columns { get; } =
    [
        new("batch", "Batch", t => t.BatchSize),
        new("ghost", "Ghost", t => t.GhostBatchSize),
        new("regime", "Regime", t => t.RegimeMultiplier),
        new("seed", "Seed", t => t.Seed),
        new("state", "State", t => IndexOf(t.State)),
        new("failure", "Failure kind", t => t.FailureKind),
        new("epoch", "Epoch", t => t.CurrentEpoch),
        new("eta", "ETA", t => t.EtaSeconds),
        new("train-acc", "Train acc.", t => Metric(t, MetricNames.TrainAccuracy)),
        new("val-acc", "Val. acc.", t => Metric(t, MetricNames.ValAccuracy)),
        new("train-val", "train − val", t => Metric(t, MetricNames.GeneralizationGap),
            "This trial's train accuracy minus its validation accuracy (not the paper's gap to SB)"),
        new("weight-distance", "‖w−w0‖", t => Metric(t, MetricNames.WeightDistance)),
        new("steps", "Steps", t => Metric(t, MetricNames.Steps)),
        new("time", "Time", t => Metric(t, MetricNames.WallSeconds)),
    ];

    /// <summary>The trials in a state (null or "all": every trial), ordered by a column (null: the grid order they came in).</summary>
    public static IReadOnlyList<TrialView> Apply(IEnumerable<TrialView> trials, string? state, string? column, bool descending)
    {
        var shown = state is null or AllStates ? trials : trials.Where(t => t.State == state);
        if (Columns.FirstOrDefault(c => c.Key == column) is not { } sortBy)
        {
            return shown.ToList();
        }

        // A stable sort: trials with equal values keep their grid order.
        var withValue = shown.Select(t => (Trial: t, Value: sortBy.Value(t))).ToList();
        var present = withValue.Where(x => x.Value is not null);
        var ordered = descending
            ? present.OrderByDescending(x => x.Value, Comparer<IComparable?>.Default)
            : present.OrderBy(x => x.Value, Comparer<IComparable?>.Default);
        return [.. ordered.Select(x => x.Trial), .. withValue.Where(x => x.Value is null).Select(x => x.Trial)];
    }

    /// <summary>The completed trial with the highest <see cref="BestMetric"/>; null while none has one.</summary>
    public static Guid? Best(IEnumerable<TrialView> trials) => trials
        .Where(t => t.State == TrialState.Completed && t.Metrics.TryGetValue(BestMetric, out var v) && double.IsFinite(v))
        .OrderByDescending(t => t.Metrics[BestMetric])
        .Select(t => (Guid?)t.Id)
        .FirstOrDefault();

    /// <summary>The state filter's value for every trial.</summary>
    public const string AllStates = "all";

    private static int IndexOf(string state)
    {
        var index = TrialState.All.ToList().IndexOf(state);
        return index < 0 ? int.MaxValue : index;
    }

    private static double? Metric(TrialView t, string key) => t.Metrics.TryGetValue(key, out var v) && !double.IsNaN(v) ? v : null;
}

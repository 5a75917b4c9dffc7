using System.Linq.Expressions;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// How a sweep's trial list can be ordered: by grid values, or by any metric the heatmap shows, so that the cell a
/// heatmap highlights can be listed first. Trials without the metric (not finished yet) come last either way.
/// </summary>
public static class TrialOrder
{
    public const string Grid = "grid";

    /// <summary>A metric's column, and whether a larger column value means a smaller metric (valError = 1 − valAccuracy).</summary>
    private static readonly Dictionary<string, (Expression<Func<TrialRecord, double?>> Key, bool Reversed)> Metrics = new()
    {
        [MetricNames.ValAccuracy] = (t => t.Final.ValAccuracy, false),
        [MetricNames.ValError] = (t => t.Final.ValAccuracy, true),

        // The baseline's accuracy is the same for every trial, so the gap to it orders like the negated accuracy.
        [MetricNames.GapToBaseline] = (t => t.Final.ValAccuracy, true),
        [MetricNames.GeneralizationGap] = (t => t.Final.GeneralizationGap, false),
        [MetricNames.TrainAccuracy] = (t => t.Final.TrainAccuracy, false),
        [MetricNames.ValLoss] = (t => t.Final.ValLoss, false),
        [MetricNames.TrainLoss] = (t => t.Final.TrainLoss, false),
        [MetricNames.WeightDistance] = (t => t.Final.WeightDistance, false),
        [MetricNames.Steps] = (t => t.Final.Steps, false),
        [MetricNames.WallSeconds] = (t => t.Final.WallSeconds, false),
    };

    /// <summary>Every accepted orderBy value: grid, then the heatmap's metrics.</summary>
    public static IReadOnlyList<string> Names { get; } = [Grid, .. MetricNames.Plottable.Where(Metrics.ContainsKey)];

    public static bool IsKnown(string name) => name == Grid || Metrics.ContainsKey(name);

    public static IOrderedQueryable<TrialRecord> Apply(IQueryable<TrialRecord> query, string? orderBy, bool descending)
    {
        if (orderBy is null || !Metrics.TryGetValue(orderBy, out var metric))
        {
            return query.OrderByGrid();
        }

        // Missing values last in both directions (PostgreSQL would put them first when descending).
        var missing = Expression.Lambda<Func<TrialRecord, bool>>(
            Expression.Equal(metric.Key.Body, Expression.Constant(null, typeof(double?))), metric.Key.Parameters);
        var ordered = query.OrderBy(missing);
        return descending != metric.Reversed ? ordered.ThenByDescending(metric.Key) : ordered.ThenBy(metric.Key);
    }
}

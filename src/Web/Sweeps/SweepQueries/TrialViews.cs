using Sweep.Data.Entities;
using Sweep.Domain.Results;

namespace Sweep.Web.Sweeps;

/// <summary>
/// A trial row as the API and the pages show it, shared by the sweep queries so that every read shows the same
/// columns and metric names.
/// </summary>
internal static class TrialViews
{
    /// <summary>An expression, so that EF selects only these columns (not the rows' jsonb config and environment).</summary>
    public static readonly System.Linq.Expressions.Expression<Func<TrialRecord, TrialView>> ViewOf = t => new TrialView(
        t.Id, t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.LrScaling, t.GbnImplementation, t.RunningStats,
        t.State, t.CurrentEpoch, t.TotalEpochs,
        t.Attempt, t.Priority, t.FailureKind, t.Error, t.StartedAt, t.FinishedAt, Metrics(t.Final));

    /// <summary>The same view of a row already read whole.</summary>
    public static readonly Func<TrialRecord, TrialView> ToView = ViewOf.Compile();

    /// <summary>The final metrics a trial has, by metric name; the ones not recorded are left out.</summary>
    public static Dictionary<string, double> Metrics(FinalMetrics f)
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

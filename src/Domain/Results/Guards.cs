using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Results;

/// <summary>
/// The artifact guards: what each computes, and when it flags. A flagged number is never presented as a finding:
/// the pages and the API show the flag beside it. docs/guards.md gives the reasoning behind each threshold.
/// </summary>
public static class Guards
{
    /// <summary>Flag when the initial running statistics (mean 0, variance 1) still hold more than this weight.</summary>
    public const double RunningStatsThreshold = 0.01;

    /// <summary>
    /// Flag when train-mode (running) and eval-mode (clean) train accuracy differ by more than this fraction (5 points).
    /// Near the end of a run the weights move little within an epoch, so the two differ by augmentation and drift
    /// (1–3 points on F1); statistics that do not match the weights cost 10–40 points (the old study's 45 % vs 65 %).
    /// </summary>
    public const double TrainEvalThreshold = 0.05;

    /// <summary>Warn and flag below this many optimizer updates.</summary>
    public const int MinUpdates = 100;

    /// <summary>An optimization gap needs a train-accuracy deficit of more than this fraction (1 point).</summary>
    public const double OptimizationDeficitMinimum = 0.01;

    /// <summary>… that is at least this share of the cell's validation gap to the baseline.</summary>
    public const double OptimizationShare = 0.5;

    /// <summary>
    /// The factor by which one optimizer step of B samples multiplies the weight of the initial running statistics:
    /// (1 − m) per EMA update; plain BN (G ≥ B) and <c>mean</c> make one update per step, <c>sequential</c>,
    /// <c>recompute</c> (which trains like sequential) and the accumulate loop one per ghost batch (k = ⌈B/G⌉), and
    /// <c>algorithm1</c> keeps (1 − m)^|B_S| = (1 − m)^G of the old value per step, as printed.
    /// </summary>
    public static double StepDecay(RunningStatsPolicy policy, GbnImplementation implementation, int batchSize, int ghostBatchSize, double bnMomentum)
    {
        var keep = 1 - bnMomentum;
        if (ghostBatchSize >= batchSize)
        {
            return keep;
        }

        var k = (batchSize + ghostBatchSize - 1) / ghostBatchSize;
        if (implementation == GbnImplementation.Accumulate)
        {
            return Math.Pow(keep, k);
        }

        return policy switch
        {
            RunningStatsPolicy.Mean => keep,
            RunningStatsPolicy.Algorithm1 => Math.Pow(keep, ghostBatchSize),
            _ => Math.Pow(keep, k),
        };
    }

    /// <summary>
    /// The weight (1 − m)^u that the initial statistics hold after <paramref name="steps"/> steps in the buffers that
    /// the final evaluation uses; 0 when evaluation recomputes the statistics or the policy is <c>recompute</c>.
    /// </summary>
    public static double InitialStatsWeight(RunningStatsPolicy policy, GbnImplementation implementation, EvalStatistics evalStatistics, int batchSize, int ghostBatchSize, double bnMomentum, long steps)
    {
        if (evalStatistics == EvalStatistics.Recompute || policy == RunningStatsPolicy.Recompute)
        {
            return 0;
        }

        return Math.Pow(StepDecay(policy, implementation, batchSize, ghostBatchSize, bnMomentum), steps);
    }

    /// <summary>The per-trial flags from a trial's recorded metrics; a guard whose inputs were not recorded raises nothing.</summary>
    public static IReadOnlyList<string> ForTrial(IReadOnlyDictionary<string, double> metrics)
    {
        var flags = new List<string>(3);
        if (metrics.TryGetValue(MetricNames.RunningStatsInitialWeight, out var weight) && weight > RunningStatsThreshold)
        {
            flags.Add(GuardFlags.RunningStats);
        }

        if (metrics.TryGetValue(MetricNames.TrainEvalModeDelta, out var delta) && Math.Abs(delta) > TrainEvalThreshold)
        {
            flags.Add(GuardFlags.TrainEvalMismatch);
        }

        if (metrics.TryGetValue(MetricNames.Steps, out var steps) && steps < MinUpdates)
        {
            flags.Add(GuardFlags.FewUpdates);
        }

        return flags;
    }

    /// <summary>
    /// True when a cell's gap is mostly optimization: its clean train accuracy is more than 1 point below the
    /// baseline's, and that deficit is at least half of its validation-accuracy gap to the baseline.
    /// </summary>
    public static bool IsOptimizationGap(double baselineTrainAccuracy, double cellTrainAccuracy, double baselineValAccuracy, double cellValAccuracy)
    {
        var deficit = baselineTrainAccuracy - cellTrainAccuracy;
        var gap = baselineValAccuracy - cellValAccuracy;
        return deficit > OptimizationDeficitMinimum && gap > 0 && deficit >= OptimizationShare * gap;
    }

    /// <summary>
    /// The guard inputs a trial's metrics lack, derived from its cell and spec: trials recorded before the trainer
    /// measured them (the old example sweeps) still get the running-statistics weight from their step count, and the
    /// train/eval difference from the two accuracies. Recorded values are never replaced.
    /// </summary>
    public static IReadOnlyDictionary<string, double> WithDerivedInputs(IReadOnlyDictionary<string, double> metrics, TrialCell cell, TrainingSpec training)
    {
        var missingWeight = !metrics.ContainsKey(MetricNames.RunningStatsInitialWeight) && metrics.ContainsKey(MetricNames.Steps);
        var missingDelta = !metrics.ContainsKey(MetricNames.TrainEvalModeDelta)
            && metrics.ContainsKey(MetricNames.RunningTrainAccuracy) && metrics.ContainsKey(MetricNames.TrainAccuracy);
        if (!missingWeight && !missingDelta)
        {
            return metrics;
        }

        var completed = new Dictionary<string, double>(metrics);
        if (missingWeight)
        {
            completed[MetricNames.RunningStatsInitialWeight] = InitialStatsWeight(
                cell.RunningStats, cell.GbnImplementation, training.EvalStatistics, cell.BatchSize, cell.GhostBatchSize, training.BnMomentum, (long)metrics[MetricNames.Steps]);
        }

        if (missingDelta)
        {
            completed[MetricNames.TrainEvalModeDelta] = metrics[MetricNames.RunningTrainAccuracy] - metrics[MetricNames.TrainAccuracy];
        }

        return completed;
    }
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Results;

/// <summary>
/// The artifact guards: formulas and thresholds. (Contract placeholder; the statistics work fills in the bodies.)
/// </summary>
public static class Guards
{
    /// <summary>Flag when the initial running statistics hold more than this weight.</summary>
    public const double RunningStatsThreshold = 0.01;

    /// <summary>Flag when train-mode and eval-mode train accuracy differ by more than this (a fraction: 5 points).</summary>
    public const double TrainEvalThreshold = 0.05;

    /// <summary>Warn and flag below this many optimizer updates.</summary>
    public const int MinUpdates = 100;

    /// <summary>
    /// How many EMA updates of the running statistics one optimizer step of B samples makes under the policy and
    /// implementation, and the factor by which each step multiplies the initial statistics' weight.
    /// </summary>
    public static double StepDecay(RunningStatsPolicy policy, GbnImplementation implementation, int batchSize, int ghostBatchSize, double bnMomentum) =>
        throw new NotImplementedException();

    /// <summary>(1 − m)^u after <paramref name="steps"/> steps; 0 when evaluation recomputes the statistics or the policy is recompute.</summary>
    public static double InitialStatsWeight(RunningStatsPolicy policy, GbnImplementation implementation, EvalStatistics evalStatistics, int batchSize, int ghostBatchSize, double bnMomentum, long steps) =>
        throw new NotImplementedException();

    /// <summary>The per-trial flags from a trial's recorded metrics (steps, runningStatsInitialWeight, trainEvalModeDelta).</summary>
    public static IReadOnlyList<string> ForTrial(IReadOnlyDictionary<string, double> metrics) =>
        throw new NotImplementedException();

    /// <summary>
    /// True when a cell's gap is mostly optimization: its clean train accuracy is more than 1 point below the
    /// baseline's and that deficit is at least half of its validation-accuracy gap to the baseline.
    /// </summary>
    public static bool IsOptimizationGap(double baselineTrainAccuracy, double cellTrainAccuracy, double baselineValAccuracy, double cellValAccuracy) =>
        throw new NotImplementedException();
}

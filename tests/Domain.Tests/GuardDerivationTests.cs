using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class GuardDerivationTests
{
    private static readonly TrialCell OldStudyLb = new(4096, 4096, 1, 1, LrScaling.Sqrt, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential);

    [Fact]
    public void A_trial_recorded_before_the_guards_gets_its_running_statistics_weight_from_its_steps()
    {
        var metrics = new Dictionary<string, double> { [MetricNames.Steps] = 12, [MetricNames.TrainAccuracy] = 0.6, [MetricNames.RunningTrainAccuracy] = 0.4 };

        var derived = Guards.WithDerivedInputs(metrics, OldStudyLb, new TrainingSpec());

        Assert.Equal(Math.Pow(0.9, 12), derived[MetricNames.RunningStatsInitialWeight], 12);
        Assert.Equal(-0.2, derived[MetricNames.TrainEvalModeDelta], 12);
        Assert.Equal([GuardFlags.RunningStats, GuardFlags.TrainEvalMismatch, GuardFlags.FewUpdates], Guards.ForTrial(derived));
    }

    [Fact]
    public void Recorded_guard_inputs_are_kept_and_recomputed_evaluation_statistics_hold_no_initial_weight()
    {
        var recorded = new Dictionary<string, double> { [MetricNames.Steps] = 12, [MetricNames.RunningStatsInitialWeight] = 0.5 };
        Assert.Equal(0.5, Guards.WithDerivedInputs(recorded, OldStudyLb, new TrainingSpec())[MetricNames.RunningStatsInitialWeight]);

        var old = new Dictionary<string, double> { [MetricNames.Steps] = 12 };
        var recompute = Guards.WithDerivedInputs(old, OldStudyLb, new TrainingSpec { EvalStatistics = EvalStatistics.Recompute });
        Assert.Equal(0, recompute[MetricNames.RunningStatsInitialWeight]);
        Assert.Equal([GuardFlags.FewUpdates], Guards.ForTrial(recompute));
    }
}

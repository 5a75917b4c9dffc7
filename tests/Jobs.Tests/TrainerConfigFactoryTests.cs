using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;
using Sweep.Jobs.Worker;

namespace Sweep.Jobs.Tests;

public sealed class TrainerConfigFactoryTests
{
    private static TrainerConfigFactoryResult For(double regime, EvaluationSchedule evaluation)
    {
        var config = ConfigFor(new WorkerOptions { Name = "w" }, regime, evaluation);
        return new TrainerConfigFactoryResult(config.Epochs, config.EvaluateEveryEpochs);
    }

    /// <summary>The trainer config of a 4096/128 cell of a 6-epoch sweep, as the given worker makes it.</summary>
    internal static TrainerConfig ConfigFor(WorkerOptions worker, double regime = 1, EvaluationSchedule evaluation = EvaluationSchedule.EveryEpoch)
    {
        var trial = new TrialRecord { State = TrialState.Queued }.WithCell(
            new TrialCell(4096, 128, regime, 1, LrScaling.Sqrt, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential));
        var spec = new SweepSpec
        {
            Name = "t",
            Dataset = "fashion-mnist",
            Model = "f1",
            Grid = new GridSpec { BatchSize = [4096], GhostBatchSize = [128] },
            Training = new TrainingSpec { Epochs = 6, LrDropEpochs = [3], TrainSubset = 8192, Evaluation = evaluation },
        };
        return TrainerConfigFactory.Create(trial, spec, worker).Config;
    }

    private sealed record TrainerConfigFactoryResult(int Epochs, int EvaluateEveryEpochs);

    [Fact]
    public void Once_per_base_epoch_means_every_r_epochs_of_a_regime_adapted_trial()
    {
        Assert.Equal(new TrainerConfigFactoryResult(192, 32), For(32, EvaluationSchedule.EveryBaseEpoch));
        Assert.Equal(new TrainerConfigFactoryResult(6, 1), For(1, EvaluationSchedule.EveryBaseEpoch));
    }

    [Fact]
    public void Every_epoch_is_the_default_whatever_the_regime()
    {
        Assert.Equal(new TrainerConfigFactoryResult(192, 1), For(32, EvaluationSchedule.EveryEpoch));
        Assert.Equal(EvaluationSchedule.EveryEpoch, new TrainingSpec().Evaluation);
    }
}

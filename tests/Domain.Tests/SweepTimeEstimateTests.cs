using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class SweepTimeEstimateTests
{
    private static readonly DatasetInfo Fashion = Datasets.FashionMnist;

    private static TrainingSpec Training(int epochs, int? subset = null) => new() { Epochs = epochs, LrDropEpochs = [], TrainSubset = subset };

    [Fact]
    public void A_trial_evaluates_its_training_subset_and_the_whole_test_set_before_training_and_after_every_epoch()
    {
        var work = TrialWork.Of(Cells.Of(128, 32, 1, 1), Training(epochs: 2, subset: 1_000), Fashion);

        Assert.Equal(2 * 1_000, work.TrainSamples);
        Assert.Equal(3 * (1_000 + 10_000), work.EvalSamples);
        Assert.Equal(2_000 + 33_000 / 3.0, work.Units, 9);
    }

    [Fact]
    public void Every_base_epoch_evaluates_a_stretched_trial_every_r_epochs_and_always_after_the_last()
    {
        var training = Training(epochs: 3) with { Evaluation = EvaluationSchedule.EveryBaseEpoch };

        // r = 2 trains 6 epochs and evaluates after epochs 2, 4 and 6, plus once before training.
        var work = TrialWork.Of(Cells.Of(256, 256, 2, 1), training, Fashion);

        Assert.Equal(6 * 60_000, work.TrainSamples);
        Assert.Equal(4 * 70_000, work.EvalSamples);
        Assert.Equal(3, TrialWork.EvaluatedEpochs(5, 2));
    }

    [Fact]
    public void The_noise_scale_costs_a_training_pass_per_epoch_only_where_ghost_batches_are_smaller_than_the_batch()
    {
        var training = Training(epochs: 1, subset: 1_000) with { GradientNoiseScale = true };

        Assert.Equal(2_000, TrialWork.Of(Cells.Of(128, 32, 1, 1), training, Fashion).TrainSamples);
        Assert.Equal(1_000, TrialWork.Of(Cells.Of(128, 128, 1, 1), training, Fashion).TrainSamples);
    }

    [Fact]
    public void Speed_is_the_trainers_seconds_over_their_work_and_start_up_the_median_of_what_the_clocks_miss()
    {
        var work = new TrialWork(9_000, 3_000); // 10,000 units
        var speed = TrialSpeed.Measure(
        [
            new MeasuredTrial(work, TrainerSeconds: 4, ElapsedSeconds: 6),
            new MeasuredTrial(work, TrainerSeconds: 6, ElapsedSeconds: 9),
            new MeasuredTrial(work, TrainerSeconds: 5, ElapsedSeconds: 45), // waited for a download: the median ignores it
        ])!;

        Assert.Equal(15.0 / 30_000, speed.SecondsPerUnit, 12);
        Assert.Equal(3, speed.StartupSeconds, 12);
        Assert.True(speed.StartupMeasured);
        Assert.Equal(3, speed.Trials);
    }

    [Fact]
    public void Without_the_trainers_clock_the_documented_start_up_stands_in()
    {
        var speed = TrialSpeed.Measure([new MeasuredTrial(new TrialWork(10_000, 0), TrainerSeconds: null, ElapsedSeconds: 8)])!;

        Assert.False(speed.StartupMeasured);
        Assert.Equal(TrialSpeed.DefaultStartupSeconds, speed.StartupSeconds);
        Assert.Equal((8 - TrialSpeed.DefaultStartupSeconds) / 10_000, speed.SecondsPerUnit, 12);
        Assert.Null(TrialSpeed.Measure([]));
    }

    [Fact]
    public void A_small_subset_sweep_is_estimated_with_its_start_ups_and_evaluations_not_only_its_training_epochs()
    {
        // Measured on full-data trials: 1 epoch of 60,000 plus two evaluations of 70,000 in 20 s of trainer time.
        var measuredWork = TrialWork.Of(Cells.Of(128, 128, 1, 1), Training(epochs: 1), Fashion);
        var speed = TrialSpeed.Measure([new MeasuredTrial(measuredWork, TrainerSeconds: 20, ElapsedSeconds: 23)])!;

        // Two cells of one epoch on a 1,000-sample subset.
        var spec = new SweepSpec { Name = "small", Grid = new GridSpec { BatchSize = [64, 128], GhostBatchSize = [32] }, Training = Training(epochs: 1, subset: 1_000) };
        var cells = GridExpander.Expand(spec).Cells;
        var seconds = SweepTimeEstimate.Seconds(spec, cells, Fashion, speed);

        // The old arithmetic, training sample-epochs × seconds per training sample-epoch, said 2 × 1,000 × 23 / 60,000.
        var trainingOnly = 2 * 1_000 * 23.0 / 60_000;
        var perTrial = 3 + 20 / measuredWork.Units * (1_000 + 2 * 11_000 / 3.0);
        Assert.Equal(2 * perTrial, seconds, 9);
        Assert.True(seconds > 8 * trainingOnly, $"{seconds} s against {trainingOnly} s");
    }

    [Fact]
    public void The_eta_counts_queued_trials_whole_and_running_ones_by_their_epochs_left_over_the_workers()
    {
        var spec = new SweepSpec { Name = "eta", Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [128] }, Training = Training(epochs: 4, subset: 1_000) };
        var cell = Cells.Of(128, 128, 1, 1);
        var work = TrialWork.Of(cell, spec.Training, Fashion);
        var speed = new TrialSpeed(SecondsPerUnit: 0.001, StartupSeconds: 2, Trials: 1, StartupMeasured: true);

        var eta = SweepTimeEstimate.Remaining(spec,
            [new RemainingTrial(cell, 0, 4, Running: false), new RemainingTrial(cell, 3, 4, Running: true)], Fashion, speed, workers: 2);

        Assert.Equal((2 + 0.001 * work.Units + 0.25 * 0.001 * work.Units) / 2, eta, 9);
        Assert.Equal(2.0, SweepTimeEstimate.Ratio(16, 32));
        Assert.Null(SweepTimeEstimate.Ratio(0, 32));
    }
}

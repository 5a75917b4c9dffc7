using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class TrainingPlanTests
{
    private static readonly TrainingSpec Paper = new() { Epochs = 50, LearningRate = 0.1, ReferenceBatchSize = 128, LrDropEpochs = [10, 20, 30] };

    [Theory]
    [InlineData(LrScaling.None, 4096, 0.1)]
    [InlineData(LrScaling.Sqrt, 4096, 0.565685424949238)]
    [InlineData(LrScaling.Linear, 4096, 3.2)]
    [InlineData(LrScaling.Sqrt, 128, 0.1)]
    [InlineData(LrScaling.Sqrt, 32, 0.05)]
    public void Learning_rate_scales_with_batch_size_relative_to_the_reference(LrScaling rule, int batch, double expected)
    {
        var plan = TrainingPlan.Resolve(Cells.Of(batch, 32, 1, 1, rule), Paper, 60_000);

        Assert.Equal(expected, plan.LearningRate, 1e-12);
    }

    [Fact]
    public void Regime_adaptation_stretches_epochs_and_every_drop_epoch()
    {
        var plan = TrainingPlan.Resolve(Cells.Of(4096, 128, 32, 1), Paper, 60_000);

        Assert.Equal(1600, plan.Epochs);
        Assert.Equal([320, 640, 960], plan.LrDropEpochs);
        Assert.Equal(14, plan.StepsPerEpoch);
        Assert.Equal(14L * 1600, plan.TotalSteps);
    }

    [Fact]
    public void Auto_regime_gives_large_batches_as_many_updates_as_the_reference()
    {
        var reference = TrainingPlan.Resolve(Cells.Of(128, 128, 1, 1), Paper, 65_536);
        var factor = RegimeMultiplier.Auto.Resolve(4096, 128);
        var large = TrainingPlan.Resolve(Cells.Of(4096, 128, factor, 1), Paper, 65_536);

        Assert.Equal(32, factor);
        Assert.Equal(reference.TotalSteps, large.TotalSteps);
    }

    [Fact]
    public void Drops_apply_from_their_epoch_on()
    {
        var plan = TrainingPlan.Resolve(Cells.Of(128, 128, 1, 1), Paper, 60_000);

        Assert.Equal(0.1, plan.Schedule.At(9.99), 12);
        Assert.Equal(0.01, plan.Schedule.At(10), 12);
        Assert.Equal(0.001, plan.Schedule.At(25), 12);
        Assert.Equal(0.0001, plan.Schedule.At(49), 12);
    }

    [Fact]
    public void Per_drop_factors_express_regimes_that_raise_the_rate_first()
    {
        // bigBatch's cifar_shallow: 1e-3, raised to 1e-2 at 60, then 1e-3 at 120 and 1e-4 at 180.
        var shallow = Paper with { LearningRate = 1e-3, LrDropEpochs = [60, 120, 180], LrDropFactors = [10, 0.1, 0.1] };
        var plan = TrainingPlan.Resolve(Cells.Of(128, 128, 1, 1, LrScaling.None), shallow, 50_000);

        Assert.Equal(1e-3, plan.Schedule.At(59), 15);
        Assert.Equal(1e-2, plan.Schedule.At(60), 15);
        Assert.Equal(1e-3, plan.Schedule.At(150), 15);
        Assert.Equal(1e-4, plan.Schedule.At(190), 15);
    }

    [Fact]
    public void Warmup_ramps_linearly_from_the_reference_rate_to_the_scaled_one_and_stretches_with_the_regime()
    {
        var spec = Paper with { WarmupEpochs = 5 };
        var plan = TrainingPlan.Resolve(Cells.Of(1024, 128, 2, 1, LrScaling.Linear), spec, 60_000);

        Assert.Equal(10, plan.Schedule.WarmupEpochs);
        Assert.Equal(0.1, plan.Schedule.At(0), 12);
        Assert.Equal(0.45, plan.Schedule.At(5), 12);
        Assert.Equal(0.8, plan.Schedule.At(10), 12);
        Assert.Equal(0.08, plan.Schedule.At(20), 12);
    }

    [Fact]
    public void Keeping_the_ragged_last_batch_adds_a_step()
    {
        var spec = Paper with { LastBatch = LastBatchPolicy.Keep };

        Assert.Equal(469, TrainingPlan.Resolve(Cells.Of(128, 128, 1, 1), spec, 60_000).StepsPerEpoch);
        Assert.Equal(468, TrainingPlan.Resolve(Cells.Of(128, 128, 1, 1), Paper, 60_000).StepsPerEpoch);
    }

    [Fact]
    public void Fractional_regimes_round_epochs_up()
    {
        var plan = TrainingPlan.Resolve(Cells.Of(128, 128, 1.5, 1), Paper with { Epochs = 3, LrDropEpochs = [1] }, 1000);

        Assert.Equal(5, plan.Epochs);
        Assert.Equal([2], plan.LrDropEpochs);
    }
}

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
        var plan = TrainingPlan.Resolve(new TrialCell(batch, 32, 1, 1), Paper with { LrScaling = rule }, 60_000);

        Assert.Equal(expected, plan.LearningRate, 1e-12);
    }

    [Fact]
    public void Regime_adaptation_stretches_epochs_and_every_drop_epoch()
    {
        var plan = TrainingPlan.Resolve(new TrialCell(4096, 128, 32, 1), Paper, 60_000);

        Assert.Equal(1600, plan.Epochs);
        Assert.Equal([320, 640, 960], plan.LrDropEpochs);
        Assert.Equal(14, plan.StepsPerEpoch);
        Assert.Equal(14L * 1600, plan.TotalSteps);
    }

    [Fact]
    public void Auto_regime_gives_large_batches_as_many_updates_as_the_reference()
    {
        var reference = TrainingPlan.Resolve(new TrialCell(128, 128, 1, 1), Paper, 65_536);
        var factor = RegimeMultiplier.Auto.Resolve(4096, 128);
        var large = TrainingPlan.Resolve(new TrialCell(4096, 128, factor, 1), Paper, 65_536);

        Assert.Equal(32, factor);
        Assert.Equal(reference.TotalSteps, large.TotalSteps);
    }

    [Fact]
    public void Drops_apply_from_their_epoch_on()
    {
        var plan = TrainingPlan.Resolve(new TrialCell(128, 128, 1, 1), Paper, 60_000);

        Assert.Equal(0.1, plan.LearningRateAt(9, 0.1), 12);
        Assert.Equal(0.01, plan.LearningRateAt(10, 0.1), 12);
        Assert.Equal(0.001, plan.LearningRateAt(25, 0.1), 12);
        Assert.Equal(0.0001, plan.LearningRateAt(49, 0.1), 12);
    }

    [Fact]
    public void Fractional_regimes_round_epochs_up()
    {
        var plan = TrainingPlan.Resolve(new TrialCell(128, 128, 1.5, 1), Paper with { Epochs = 3, LrDropEpochs = [1] }, 1000);

        Assert.Equal(5, plan.Epochs);
        Assert.Equal([2], plan.LrDropEpochs);
    }
}

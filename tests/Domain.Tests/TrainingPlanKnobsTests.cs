using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>The authors' hidden knobs as explicit settings: LR reference, warmup under regimes, momentum resets, ragged tails.</summary>
public sealed class TrainingPlanKnobsTests
{
    private static readonly TrainingSpec Paper = new() { Epochs = 50, LearningRate = 0.1, ReferenceBatchSize = 128, LrDropEpochs = [10, 20, 30] };

    [Fact]
    public void A_ghost_reference_scales_the_rate_by_B_over_G_as_main_gbn_does()
    {
        var ghost = Paper with { LrReference = LrReference.Ghost };

        Assert.Equal(0.1 * Math.Sqrt(4096.0 / 32), TrainingPlan.Resolve(Cells.Of(4096, 32, 1, 1), ghost, 60_000).LearningRate, 12);
        Assert.Equal(0.1 * Math.Sqrt(4096.0 / 512), TrainingPlan.Resolve(Cells.Of(4096, 512, 1, 1), ghost, 60_000).LearningRate, 12);
        Assert.Equal(0.1, TrainingPlan.Resolve(Cells.Of(4096, 4096, 1, 1), ghost, 60_000).LearningRate, 12);
        Assert.Equal(0.1 * Math.Sqrt(4096.0 / 128), TrainingPlan.Resolve(Cells.Of(4096, 512, 1, 1), Paper, 60_000).LearningRate, 12);
    }

    [Fact]
    public void A_fixed_warmup_keeps_its_length_under_regime_adaptation()
    {
        var stretched = TrainingPlan.Resolve(Cells.Of(4096, 128, 4, 1), Paper with { WarmupEpochs = 5 }, 60_000);
        var kept = TrainingPlan.Resolve(Cells.Of(4096, 128, 4, 1), Paper with { WarmupEpochs = 5, WarmupUnderRegime = WarmupUnderRegime.Fixed }, 60_000);

        Assert.Equal(20, stretched.Schedule.WarmupEpochs);
        Assert.Equal(5, kept.Schedule.WarmupEpochs);
    }

    [Fact]
    public void Momentum_resets_stretch_with_the_regime_like_the_drops()
    {
        var plan = TrainingPlan.Resolve(Cells.Of(4096, 128, 2, 1), Paper with { MomentumResetEpochs = [122, 0] }, 50_000);

        Assert.Equal([244], plan.MomentumResetEpochs);
        Assert.Empty(TrainingPlan.Resolve(Cells.Of(128, 128, 1, 1), Paper, 50_000).MomentumResetEpochs);
    }

    [Theory]
    [InlineData(1000, 100, LastBatchPolicy.Keep, 10)]
    [InlineData(1001, 100, LastBatchPolicy.Keep, 10)]
    [InlineData(1002, 100, LastBatchPolicy.Keep, 11)]
    [InlineData(1099, 100, LastBatchPolicy.Drop, 10)]
    [InlineData(1, 100, LastBatchPolicy.Keep, 1)]
    public void A_one_sample_ragged_tail_joins_the_last_whole_batch(long samples, int batch, LastBatchPolicy policy, int steps) =>
        Assert.Equal(steps, TrainingPlan.StepsPerEpochOf(samples, batch, policy));
}

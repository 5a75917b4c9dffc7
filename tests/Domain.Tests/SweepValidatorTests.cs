using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class SweepValidatorTests
{
    private static readonly SweepSpec Valid = new()
    {
        Name = "f1-gbn-demo",
        Grid = new GridSpec { BatchSize = [128, 1024], GhostBatchSize = [128] },
        Training = new TrainingSpec { Epochs = 3 },
    };

    private static IReadOnlyDictionary<string, string[]> Validate(SweepSpec spec) => SweepValidator.Validate(spec, SweepLimits.Default);

    [Fact]
    public void The_contract_example_is_valid() => Assert.Empty(Validate(Valid));

    [Fact]
    public void Invalid_cells_are_rejected_naming_the_offending_values()
    {
        var errors = Validate(Valid with { Grid = Valid.Grid with { GhostBatchSize = [96, 256] } });

        var messages = Assert.Single(errors, e => e.Key == "grid.ghostBatchSize").Value;
        Assert.Contains(messages, m => m.Contains("batchSize 128") && m.Contains("ghostBatchSize 256") && m.Contains("larger"));
        Assert.Contains(messages, m => m.Contains("batchSize 1024") && m.Contains("ghostBatchSize 96") && m.Contains("does not divide"));
    }

    [Fact]
    public void Skipping_invalid_cells_accepts_the_grid_when_some_cell_is_left()
    {
        var spec = Valid with { Grid = Valid.Grid with { GhostBatchSize = [256] }, SkipInvalidCells = true };

        Assert.Empty(Validate(spec));
        Assert.Single(GridExpander.Expand(spec).Cells);
    }

    [Fact]
    public void Skipping_every_cell_is_still_an_error()
    {
        var errors = Validate(Valid with { Grid = Valid.Grid with { BatchSize = [64], GhostBatchSize = [128] }, SkipInvalidCells = true });

        Assert.Contains("grid", errors.Keys);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    public void Learning_rates_must_be_finite_and_positive(double lr) =>
        Assert.Contains("training.learningRate", Validate(Valid with { Training = Valid.Training with { LearningRate = lr } }).Keys);

    [Fact]
    public void Sizes_must_be_positive()
    {
        var errors = Validate(Valid with { Grid = new GridSpec { BatchSize = [0, -5], GhostBatchSize = [-1] } });

        Assert.Contains(errors["grid.batchSize"], m => m.Contains("-5"));
        Assert.Contains(errors["grid.ghostBatchSize"], m => m.Contains("-1"));
    }

    [Fact]
    public void Empty_axes_and_unknown_names_are_reported_per_field()
    {
        var errors = Validate(new SweepSpec { Name = " ", Dataset = "imagenet", Model = "gpt", Grid = new GridSpec { BatchSize = [], GhostBatchSize = [], RegimeMultiplier = [] } });

        Assert.Equal(
            ["dataset", "grid.batchSize", "grid.ghostBatchSize", "grid.regimeMultiplier", "model", "name"],
            errors.Keys.Order());
    }

    [Fact]
    public void Grids_beyond_the_cell_limit_are_rejected_before_expansion()
    {
        var errors = SweepValidator.Validate(
            Valid with { Grid = new GridSpec { BatchSize = Enumerable.Range(1, 1000).ToArray(), GhostBatchSize = Enumerable.Range(1, 1000).ToArray() } },
            new SweepLimits { MaxCells = 10_000 });

        Assert.Contains(errors["grid"], m => m.Contains("1000000") && m.Contains("10000"));
    }

    [Fact]
    public void A_batch_larger_than_the_training_subset_is_rejected()
    {
        var errors = Validate(Valid with { Training = Valid.Training with { TrainSubset = 1000 } });

        Assert.Contains(errors["grid.batchSize"], m => m.Contains("1024") && m.Contains("1000"));
    }

    [Fact]
    public void A_ghost_batch_of_one_sample_is_invalid_for_a_1d_batch_norm()
    {
        var errors = Validate(Valid with { Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [1, 128] } });

        var messages = errors["grid.ghostBatchSize"];
        Assert.Contains(messages, m => m.Contains("ghostBatchSize 1") && m.Contains("at least 2"));
        Assert.Single(messages);
    }

    [Fact]
    public void A_ghost_batch_of_one_sample_is_valid_where_every_bn_sees_a_feature_map()
    {
        // ResNet-20's smallest BN is 8×8 on 32×32 inputs: one sample gives 64 values per channel.
        var spec = Valid with { Dataset = "cifar10", Model = "resnet20", Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [1] } };

        Assert.Empty(Validate(spec));
    }

    [Fact]
    public void Skipping_invalid_cells_skips_one_sample_ghost_batches()
    {
        var spec = Valid with { Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [1, 128] }, SkipInvalidCells = true };

        Assert.Empty(Validate(spec));
        Assert.Equal(128, Assert.Single(GridExpander.Expand(spec).Cells).GhostBatchSize);
    }

    [Fact]
    public void Algorithm1_with_the_accumulate_loop_is_rejected()
    {
        var both = Validate(Valid with { Training = Valid.Training with { RunningStats = RunningStatsPolicy.Algorithm1, GbnImplementation = GbnImplementation.Accumulate } });
        var fromAxes = Validate(Valid with
        {
            Grid = Valid.Grid with
            {
                RunningStats = [RunningStatsPolicy.Sequential, RunningStatsPolicy.Algorithm1],
                GbnImplementation = [GbnImplementation.Vectorized, GbnImplementation.Accumulate],
            },
        });

        Assert.Contains(both["training.runningStats"], m => m.Contains("algorithm1") && m.Contains("accumulate"));
        Assert.Contains(fromAxes["grid.runningStats"], m => m.Contains("algorithm1") && m.Contains("accumulate"));
        Assert.Empty(Validate(Valid with { Training = Valid.Training with { RunningStats = RunningStatsPolicy.Algorithm1 } }));
    }

    [Fact]
    public void Momentum_reset_epochs_cannot_be_negative()
    {
        var errors = Validate(Valid with { Training = Valid.Training with { MomentumResetEpochs = [2, -1] } });

        Assert.Contains(errors["training.momentumResetEpochs"], m => m.Contains("-1"));
        Assert.Empty(Validate(Valid with { Training = Valid.Training with { MomentumResetEpochs = [0, 2] } }));
    }

    [Fact]
    public void Undefined_enum_values_are_reported_per_field()
    {
        var errors = Validate(Valid with
        {
            Training = Valid.Training with { LrScaling = (LrScaling)7, LrReference = (LrReference)3 },
            Grid = Valid.Grid with { RunningStats = [(RunningStatsPolicy)9] },
        });

        Assert.Contains(errors["training.lrScaling"], m => m.Contains("sqrt"));
        Assert.Contains("training.lrReference", errors.Keys);
        Assert.Contains("grid.runningStats", errors.Keys);
    }
}

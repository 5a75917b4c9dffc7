using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class GridExpanderTests
{
    private static SweepSpec Spec(int[] batch, int[] ghost, RegimeMultiplier[]? regimes = null, int[]? seeds = null, bool skip = false) => new()
    {
        Name = "t",
        Grid = new GridSpec { BatchSize = batch, GhostBatchSize = ghost, RegimeMultiplier = regimes ?? [RegimeMultiplier.Fixed(1)] },
        Training = new TrainingSpec { Seeds = seeds ?? [1] },
        SkipInvalidCells = skip,
    };

    [Fact]
    public void Expands_the_cartesian_product_of_valid_cells()
    {
        var expansion = GridExpander.Expand(Spec([128, 1024], [32, 128], [RegimeMultiplier.Fixed(1), RegimeMultiplier.Fixed(2)], [1, 2]));

        Assert.Equal(2 * 2 * 2 * 2, expansion.Cells.Count);
        Assert.Empty(expansion.InvalidCells);
        Assert.Contains(Cells.Of(1024, 32, 2, 2), expansion.Cells);
        Assert.Equal(expansion.Cells.Count, expansion.Cells.Distinct().Count());
    }

    [Fact]
    public void Ghost_sizes_larger_than_the_batch_or_not_dividing_it_are_invalid()
    {
        var expansion = GridExpander.Expand(Spec([128, 256], [96, 128, 256], seeds: [1, 2]));

        Assert.Equal(
            [Cells.Of(128, 128, 1, 1), Cells.Of(128, 128, 1, 2), Cells.Of(256, 128, 1, 1), Cells.Of(256, 128, 1, 2), Cells.Of(256, 256, 1, 1), Cells.Of(256, 256, 1, 2)],
            expansion.Cells);
        Assert.Equal(3, expansion.InvalidCells.Count);
        Assert.Contains(expansion.InvalidCells, c => c is { BatchSize: 128, GhostBatchSize: 256 } && c.Reason.Contains("larger than"));
        Assert.Contains(expansion.InvalidCells, c => c is { BatchSize: 128, GhostBatchSize: 96 } && c.Reason.Contains("does not divide"));
        Assert.Equal(3 * 2, expansion.SkippedCellCount);
    }

    [Fact]
    public void Auto_regime_resolves_to_ceil_of_batch_over_reference_and_merges_with_equal_fixed_values()
    {
        var spec = Spec([128, 300, 4096], [4], [RegimeMultiplier.Auto, RegimeMultiplier.Fixed(1)]);
        var cells = GridExpander.Expand(spec).Cells;

        Assert.Equal([1.0], cells.Where(c => c.BatchSize == 128).Select(c => c.RegimeMultiplier));
        Assert.Equal([3.0, 1.0], cells.Where(c => c.BatchSize == 300).Select(c => c.RegimeMultiplier));
        Assert.Equal([32.0, 1.0], cells.Where(c => c.BatchSize == 4096).Select(c => c.RegimeMultiplier));
    }

    [Fact]
    public void Optional_axes_multiply_the_grid_and_default_to_the_fixed_setting()
    {
        var spec = Spec([128], [32], seeds: [1, 2]) with
        {
            Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [32], LrScaling = [LrScaling.None, LrScaling.Sqrt], RunningStats = [RunningStatsPolicy.Sequential, RunningStatsPolicy.Mean, RunningStatsPolicy.Recompute] },
            Training = new TrainingSpec { Seeds = [1, 2], GbnImplementation = GbnImplementation.Accumulate },
        };

        var cells = GridExpander.Expand(spec).Cells;

        Assert.Equal(2 * 2 * 3, cells.Count);
        Assert.Equal(12, GridExpander.CountGridPoints(spec));
        Assert.All(cells, c => Assert.Equal(GbnImplementation.Accumulate, c.GbnImplementation));
        Assert.Equal(6, cells.Count(c => c.LrScaling == LrScaling.None));
    }

    [Fact]
    public void Duplicate_axis_values_produce_one_cell()
    {
        var cells = GridExpander.Expand(Spec([128, 128], [32, 32], seeds: [7, 7])).Cells;

        Assert.Single(cells);
    }

    [Fact]
    public void Counting_grid_points_does_not_materialize_them()
    {
        var huge = Spec(Enumerable.Range(1, 1000).ToArray(), Enumerable.Range(1, 1000).ToArray());

        Assert.Equal(1_000_000, GridExpander.CountGridPoints(huge));
    }

    [Fact]
    public void Auto_regimes_divide_by_the_ghost_size_under_the_ghost_lr_reference()
    {
        var spec = Spec([4096], [128, 512], [RegimeMultiplier.Auto]);
        var ghost = spec with { Training = spec.Training with { LrReference = LrReference.Ghost, ReferenceBatchSize = 256 } };

        Assert.Equal([32.0, 32.0], GridExpander.Expand(spec).Cells.Select(c => c.RegimeMultiplier));
        Assert.Equal([32.0, 8.0], GridExpander.Expand(ghost).Cells.Select(c => c.RegimeMultiplier));
    }

    [Theory]
    [InlineData("f1", "mnist", 1)]
    [InlineData("c1", "cifar10", 1)]
    [InlineData("resnet20", "cifar10", 64)]
    [InlineData("wrn16-4", "cifar100", 64)]
    [InlineData("vgg", "cifar10", 4)]
    public void The_smallest_bn_spatial_size_follows_the_model_code(string model, string dataset, int expected) =>
        Assert.Equal(expected, GridExpander.SmallestBnSpatialSize(new SweepSpec { Name = "t", Model = model, Dataset = dataset, Grid = new GridSpec() }));

    [Fact]
    public void One_sample_ghost_batches_are_invalid_only_for_a_1d_batch_norm()
    {
        Assert.Contains("at least 2", GridExpander.GhostSizeProblem(64, 1, bnSpatialSize: 1));
        Assert.Null(GridExpander.GhostSizeProblem(64, 1, bnSpatialSize: 64));
        Assert.Null(GridExpander.GhostSizeProblem(64, 2, bnSpatialSize: 1));
        Assert.Contains("does not divide", GridExpander.GhostSizeProblem(64, 3, bnSpatialSize: 64));
    }
}

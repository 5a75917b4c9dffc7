using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class SweepWarningsTests
{
    /// <summary>The old study's cells: F1 on 8,192 Fashion-MNIST samples for 6 epochs, plain BN, regime 1.</summary>
    private static SweepSpec OldStudy(int batch, EvalStatistics evalStatistics = EvalStatistics.Running) => new()
    {
        Name = "old study",
        Dataset = "fashion-mnist",
        Model = "f1",
        Grid = new GridSpec { BatchSize = [batch], GhostBatchSize = [batch], RegimeMultiplier = [RegimeMultiplier.Fixed(1)] },
        Training = new TrainingSpec { TrainSubset = 8192, Epochs = 6, EvalStatistics = evalStatistics },
    };

    [Fact]
    public void The_old_studys_large_batch_cell_gets_both_warnings()
    {
        var warnings = SweepWarnings.For(OldStudy(4096));

        var few = Assert.Single(warnings, w => w.Guard == GuardFlags.FewUpdates);
        Assert.Equal(1, few.Cells);
        Assert.Contains("fewer than 100 updates", few.Message);
        Assert.Contains("B = G = 4096: 12 updates", few.Message);
        Assert.Contains("Train longer", few.Message);

        // 2 steps per epoch × 6 epochs, one EMA update each: 0.9^12 = 28.2 %.
        var stats = Assert.Single(warnings, w => w.Guard == GuardFlags.RunningStats);
        Assert.Equal(1, stats.Cells);
        Assert.Contains("up to 28 %", stats.Message);
        Assert.Contains("B = G = 4096: 28.2 %", stats.Message);
        Assert.Contains("evalStatistics: recompute", stats.Message);
        Assert.Equal(2, warnings.Count);
    }

    [Fact]
    public void The_old_studys_small_batch_cell_gets_none() => Assert.Empty(SweepWarnings.For(OldStudy(128)));

    [Fact]
    public void Recomputed_evaluation_statistics_remove_only_the_running_statistics_warning()
    {
        var warning = Assert.Single(SweepWarnings.For(OldStudy(4096, EvalStatistics.Recompute)));

        Assert.Equal(GuardFlags.FewUpdates, warning.Guard);
    }

    [Fact]
    public void Cells_count_every_flagged_cell_and_the_message_names_them_worst_first()
    {
        var spec = OldStudy(4096) with
        {
            Grid = new GridSpec { BatchSize = [128, 2048, 4096], GhostBatchSize = [128, 2048, 4096] },
            Training = OldStudy(4096).Training with { Seeds = [1, 2] },
            SkipInvalidCells = true,
        };

        var few = Assert.Single(SweepWarnings.For(spec), w => w.Guard == GuardFlags.FewUpdates);

        // (2048, 128), (2048, 2048), (4096, 128), (4096, 2048), (4096, 4096), each with two seeds.
        Assert.Equal(10, few.Cells);
        Assert.StartsWith("10 cells make fewer than 100 updates (B = 4096, G = 128: 12 updates; B = 4096, G = 2048: 12 updates; B = G = 4096: 12 updates; …);", few.Message);
    }

    [Fact]
    public void An_unknown_dataset_or_an_invalid_spec_gets_no_warnings()
    {
        Assert.Empty(SweepWarnings.For(OldStudy(4096) with { Dataset = "imagenet" }));
        Assert.Empty(SweepWarnings.For(OldStudy(4096) with { Grid = new GridSpec { BatchSize = [4096], GhostBatchSize = [] } }));
        Assert.Empty(SweepWarnings.For(OldStudy(4096) with { Training = new TrainingSpec { Epochs = 0 } }));
    }
}

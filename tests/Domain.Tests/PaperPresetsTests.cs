using Sweep.Domain.Catalog;
using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class PaperPresetsTests
{
    public static TheoryData<string> PresetKeys => new(PaperPresets.All.Select(p => p.Key));

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public void Every_preset_request_is_a_valid_sweep(string key)
    {
        var preset = PaperPresets.Find(key)!;

        var spec = preset.Request.ToSpec();

        Assert.Empty(SweepValidator.Validate(spec, SweepLimits.Default));
        Assert.Equal(preset.Name, spec.Name);
        Assert.Contains(spec.Dataset, Models.Find(spec.Model)!.Datasets);
    }

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public void Every_preset_grid_holds_all_five_configurations(string key)
    {
        var preset = PaperPresets.Find(key)!;
        var spec = preset.Request.ToSpec();

        var columns = GridExpander.Expand(spec).Cells
            .Select(c => PaperConfiguration.Classify(c, spec.Training.ReferenceBatchSize, spec.Grid.BatchSize.Max()))
            .OfType<PaperColumn>()
            .ToHashSet();

        Assert.Equal(PaperConfiguration.Columns.ToHashSet(), columns);
        Assert.Equal(preset.LargeBatch, spec.Grid.BatchSize.Max());
    }

    [Fact]
    public void The_f1_preset_is_the_papers_f1_on_fashion_mnist()
    {
        var preset = Assert.Single(PaperPresets.All, p => p.Name == "Hoffer et al. 2017, F1 on Fashion-MNIST");
        var spec = preset.Request.ToSpec();

        Assert.Equal("f1", spec.Model);
        Assert.Equal("fashion-mnist", spec.Dataset);
        Assert.Equal([128, 4096], spec.Grid.BatchSize);
        Assert.Equal([128, 4096], spec.Grid.GhostBatchSize);
        Assert.Equal([RegimeMultiplier.Fixed(1), RegimeMultiplier.Auto], spec.Grid.RegimeMultiplier);
        Assert.Equal([LrScaling.None, LrScaling.Sqrt], spec.Grid.LrScaling!);
        Assert.True(spec.SkipInvalidCells);

        // The F1 regime comes from the model's defaults.
        Assert.Equal(Models.F1.Regime.Epochs, spec.Training.Epochs);
        Assert.Equal(Models.F1.Regime.LearningRate, spec.Training.LearningRate);
        Assert.Equal(Models.F1.Regime.LrDropEpochs, spec.Training.LrDropEpochs);
        Assert.Equal(128, spec.Training.ReferenceBatchSize);

        Assert.Equal(PaperPresets.F1, preset.Row);
        Assert.Equal([98.27, 97.05, 97.55, 97.60, 98.53], PaperConfiguration.Columns.Select(c => preset.Row[c]));
        Assert.Contains("MNIST", preset.DatasetNote);
        Assert.False(spec.Training.MnistPadCrop);
        Assert.Contains("without augmentation", preset.Description);
    }

    [Fact]
    public void The_mnist_preset_uses_bigBatchs_mnist_augmentation_as_its_label_says()
    {
        var preset = PaperPresets.Find("hoffer2017-f1-mnist")!;
        var spec = preset.Request.ToSpec();

        Assert.Equal("mnist", spec.Dataset);
        Assert.True(spec.Training.MnistPadCrop);
        Assert.Contains("pad 2", preset.Description);
        Assert.Contains("flip", preset.Description);
        Assert.Null(preset.DatasetNote);
    }

    [Fact]
    public void The_f1_grid_contains_each_configuration_with_the_papers_values()
    {
        var spec = PaperPresets.All[0].Request.ToSpec();
        var cells = GridExpander.Expand(spec).Cells;

        Assert.Contains(Cells.Of(128, 128, 1, 1, LrScaling.Sqrt), cells);     // SB
        Assert.Contains(Cells.Of(4096, 4096, 1, 1, LrScaling.None), cells);   // LB
        Assert.Contains(Cells.Of(4096, 4096, 1, 1, LrScaling.Sqrt), cells);   // +LR
        Assert.Contains(Cells.Of(4096, 128, 1, 1, LrScaling.Sqrt), cells);    // +GBN
        Assert.Contains(Cells.Of(4096, 128, 32, 1, LrScaling.Sqrt), cells);   // +RA
        Assert.DoesNotContain(cells, c => c.BatchSize == 128 && c.GhostBatchSize == 4096);
    }

    [Fact]
    public void Cifar_presets_use_the_large_batches_of_the_authors_runs()
    {
        Assert.Equal(2048, PaperPresets.Find("hoffer2017-resnet44-cifar10")!.LargeBatch);
        Assert.Equal(1024, PaperPresets.Find("hoffer2017-wrn16-4-cifar100")!.LargeBatch);
        Assert.Equal(4096, PaperPresets.Find("hoffer2017-c1-cifar10")!.LargeBatch);
        Assert.Equal(4096, PaperPresets.Find("hoffer2017-c3-cifar100")!.LargeBatch);
        Assert.All(PaperPresets.Rows, row => Assert.Contains(PaperPresets.All, p => p.Row == row && p.Request.Dataset == row.Dataset));
    }

    [Theory]
    [InlineData(128, 128, 1, LrScaling.Sqrt, PaperColumn.SmallBatch)]
    [InlineData(128, 128, 1, LrScaling.None, PaperColumn.SmallBatch)]
    [InlineData(4096, 4096, 1, LrScaling.None, PaperColumn.LargeBatch)]
    [InlineData(4096, 4096, 1, LrScaling.Sqrt, PaperColumn.LearningRate)]
    [InlineData(4096, 128, 1, LrScaling.Sqrt, PaperColumn.GhostBatchNorm)]
    [InlineData(4096, 128, 32, LrScaling.Sqrt, PaperColumn.RegimeAdaptation)]
    public void Classify_maps_the_papers_configurations(int batch, int ghost, double regime, LrScaling rule, PaperColumn expected) =>
        Assert.Equal(expected, PaperConfiguration.Classify(Cells.Of(batch, ghost, regime, 7, rule), 128, 4096));

    [Theory]
    [InlineData(128, 128, 2, LrScaling.Sqrt)]        // SB trained longer
    [InlineData(128, 64, 1, LrScaling.Sqrt)]         // ghost BN at the small batch
    [InlineData(1024, 1024, 1, LrScaling.Sqrt)]      // a batch size between SB and LB
    [InlineData(4096, 4096, 1, LrScaling.Linear)]    // Goyal's rule is not the paper's
    [InlineData(4096, 4096, 32, LrScaling.Sqrt)]     // RA without GBN
    [InlineData(4096, 4096, 32, LrScaling.None)]
    [InlineData(4096, 128, 1, LrScaling.None)]       // GBN without the LR fix
    [InlineData(4096, 128, 32, LrScaling.None)]
    [InlineData(4096, 256, 1, LrScaling.Sqrt)]       // ghost size other than B_ref
    [InlineData(4096, 128, 16, LrScaling.Sqrt)]      // a regime other than ceil(B / B_ref)
    public void Classify_returns_null_for_other_cells(int batch, int ghost, double regime, LrScaling rule) =>
        Assert.Null(PaperConfiguration.Classify(Cells.Of(batch, ghost, regime, 1, rule), 128, 4096));

    [Fact]
    public void Classify_takes_the_adapted_regime_as_ceil_of_the_ratio()
    {
        Assert.Equal(PaperColumn.RegimeAdaptation, PaperConfiguration.Classify(Cells.Of(2048, 128, 16, 1), 128, 2048));
        Assert.Equal(PaperColumn.RegimeAdaptation, PaperConfiguration.Classify(Cells.Of(1000, 300, 4, 1), 300, 1000));
        Assert.Null(PaperConfiguration.Classify(Cells.Of(1000, 300, 1000.0 / 300, 1), 300, 1000));
    }

    [Fact]
    public void Rows_are_found_by_network_and_dataset()
    {
        Assert.Equal((PaperPresets.F1, false), PaperPresets.FindRow("f1", "mnist"));
        Assert.Equal((PaperPresets.F1, true), PaperPresets.FindRow("f1", "fashion-mnist"));
        Assert.Equal((PaperPresets.Wrn16x4, false), PaperPresets.FindRow("wrn16-4", "cifar100"));
        Assert.Null(PaperPresets.FindRow("resnet44", "cifar100"));
        Assert.Null(PaperPresets.FindRow("resnet20", "cifar10"));
        Assert.Equal(["SB", "LB", "+LR", "+GBN", "+RA"], PaperConfiguration.Columns.Select(c => c.Label()));
    }
}

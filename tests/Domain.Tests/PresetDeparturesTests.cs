using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class PresetDeparturesTests
{
    private static SweepSpec Preset(string key) => PaperPresets.Find(key)!.Request.ToSpec();

    [Theory]
    [InlineData("hoffer2017-f1-mnist")]
    [InlineData("hoffer2017-resnet44-cifar10")]
    [InlineData("hoffer2017-wrn16-4-cifar100")]
    public void A_preset_on_the_papers_dataset_departs_from_nothing(string key)
    {
        var spec = Preset(key);

        Assert.Equal(key, PresetDepartures.PresetFor(spec)!.Key);
        Assert.Empty(PresetDepartures.Of(spec));
    }

    [Fact]
    public void A_short_run_on_a_subset_says_both()
    {
        var preset = Preset("hoffer2017-f1-mnist");
        var spec = preset with { Training = preset.Training with { Epochs = 2, TrainSubset = 1024 } };

        var departures = PresetDepartures.Of(spec);

        Assert.Equal(
            [new PresetDeparture("epochs", "50", "2"), new PresetDeparture("training subset", "full training set", "1,024 images")],
            departures);
        Assert.Equal("epochs: 2 here, 50 in the preset", departures[0].ToString());
    }

    [Fact]
    public void Another_learning_rate_rule_and_drops_are_departures()
    {
        var preset = Preset("hoffer2017-resnet44-cifar10");
        var spec = preset with
        {
            Training = preset.Training with { LearningRate = 0.05, ReferenceBatchSize = 256, LrDropEpochs = [100, 150], LrDropFactor = 0.2 },
        };

        var departures = PresetDepartures.Of(spec).ToDictionary(d => d.Setting);

        Assert.Equal(("0.1", "0.05"), (departures["η_ref (learning rate)"].Preset, departures["η_ref (learning rate)"].Sweep));
        Assert.Equal(("128", "256"), (departures["B_ref (reference batch)"].Preset, departures["B_ref (reference batch)"].Sweep));
        Assert.Equal(("81, 122, 164", "100, 150"), (departures["LR drop epochs"].Preset, departures["LR drop epochs"].Sweep));
        Assert.Equal(("0.1, 0.1, 0.1", "0.2, 0.2"), (departures["LR drop factors"].Preset, departures["LR drop factors"].Sweep));
        Assert.Equal(4, departures.Count);
    }

    [Fact]
    public void A_smaller_large_batch_is_a_departure()
    {
        var preset = Preset("hoffer2017-c1-cifar10");
        var spec = preset with { Grid = preset.Grid with { BatchSize = [128, 1024], GhostBatchSize = [128, 1024] } };

        Assert.Equal([new PresetDeparture("large batch", "4,096", "1,024")], PresetDepartures.Of(spec));
    }

    [Fact]
    public void F1_on_fashion_mnist_is_compared_with_its_preset_and_says_the_paper_used_mnist()
    {
        var spec = Preset("hoffer2017-f1-fashion-mnist");

        Assert.Equal("hoffer2017-f1-fashion-mnist", PresetDepartures.PresetFor(spec)!.Key);
        var departure = Assert.Single(PresetDepartures.Of(spec));
        Assert.Equal(new PresetDeparture("dataset", "MNIST", "fashion-mnist", PresetDeparture.InPaper), departure);
        Assert.Equal("dataset: fashion-mnist here, MNIST in the paper", departure.ToString());
    }

    [Fact]
    public void Against_another_preset_the_model_and_dataset_depart()
    {
        var spec = Preset("hoffer2017-f1-mnist");

        var departures = PresetDepartures.Of(spec, PaperPresets.Find("hoffer2017-c1-cifar10")!).Select(d => d.Setting).ToList();

        Assert.Contains("model", departures);
        Assert.Contains("dataset", departures);
        Assert.Contains("epochs", departures);
    }

    [Fact]
    public void A_network_the_paper_does_not_have_claims_no_preset()
    {
        var spec = new SweepRequest { Name = "r20", Model = "resnet20", Dataset = "cifar10", Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [128] } }.ToSpec();

        Assert.Null(PresetDepartures.PresetFor(spec));
        Assert.Empty(PresetDepartures.Of(spec));
    }
}

using Sweep.Domain.Planning;
using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The builder's form model without a page: parsing, validation keyed by JSON path, expansion.</summary>
public sealed class SweepFormTests
{
    public static TheoryData<string> PresetKeys => new(PaperPresets.All.Select(p => p.Key));

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public void A_spec_survives_the_form_unchanged(string key)
    {
        var spec = PaperPresets.Find(key)!.Request.ToSpec();

        var state = SweepForm.FromSpec(spec).Evaluate(SweepLimits.Default);

        Assert.Empty(state.Errors);
        Assert.Equal(SweepJson.Serialize(spec), SweepJson.Serialize(state.Spec));
    }

    [Fact]
    public void Optional_settings_left_blank_are_null()
    {
        var form = SweepForm.Default();
        form.Name = "blank";
        form.GradientClipNorm = " ";
        form.TrainSubset = "";
        form.LrDropFactors = "";

        var spec = form.Evaluate(SweepLimits.Default).Spec;

        Assert.Null(spec.Training.GradientClipNorm);
        Assert.Null(spec.Training.TrainSubset);
        Assert.Null(spec.Training.LrDropFactors);
        Assert.Null(spec.Grid.LrScaling);
    }

    [Fact]
    public void Lists_accept_commas_spaces_and_auto()
    {
        var form = SweepForm.Default();
        form.BatchSizes = "128 ,256;4096";
        form.RegimeMultipliers = "1, 1.5, AUTO";

        var spec = form.Evaluate(SweepLimits.Default).Spec;

        Assert.Equal([128, 256, 4096], spec.Grid.BatchSize);
        Assert.Equal([RegimeMultiplier.Fixed(1), RegimeMultiplier.Fixed(1.5), RegimeMultiplier.Auto], spec.Grid.RegimeMultiplier);
    }

    [Fact]
    public void Parse_errors_replace_the_validators_view_of_the_same_field()
    {
        var form = SweepForm.Default();
        form.Name = "x";
        form.GhostBatchSizes = "abc";

        var state = form.Evaluate(SweepLimits.Default);

        Assert.True(state.HasParseErrors);
        Assert.Equal(["\"abc\" is not a whole number."], state.Errors["grid.ghostBatchSize"]);
    }

    [Fact]
    public void A_grid_over_the_cell_limit_is_not_expanded()
    {
        var form = SweepForm.Default();
        form.Name = "huge";
        form.BatchSizes = string.Join(",", Enumerable.Range(1, 200));
        form.GhostBatchSizes = "1";
        form.Seeds = string.Join(",", Enumerable.Range(1, 100));

        var state = form.Evaluate(SweepLimits.Default);

        Assert.Null(state.Expansion);
        Assert.Equal(200L * 2 * 100, state.GridPoints);
        Assert.Contains("grid", state.Errors.Keys);
    }

    [Fact]
    public void The_workload_counts_the_epochs_of_every_cell()
    {
        var spec = PaperPresets.Find("hoffer2017-f1-fashion-mnist")!.Request.ToSpec();
        var expansion = GridExpander.Expand(spec);

        var (epochs, sampleEpochs) = Workload.Of(spec, expansion);

        // SB ×2, LB, +LR, +GBN and GBN without the LR fix at 50 epochs; four 4096 cells at 32 × 50.
        Assert.Equal(6 * 50 + 4 * 1600, epochs);
        Assert.Equal(epochs * 60_000.0, sampleEpochs);
    }
}

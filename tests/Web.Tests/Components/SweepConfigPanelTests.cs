using Bunit;
using Sweep.Domain.Planning;
using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The sweep page's configuration panel: the settings, the trainer's plan per cell, and preset departures.</summary>
public sealed class SweepConfigPanelTests
{
    private static SweepDetail Detail(SweepSpec spec)
    {
        var trials = GridExpander.Expand(spec).Cells.Select(c => new TrialView(
            Guid.NewGuid(), c.BatchSize, c.GhostBatchSize, c.RegimeMultiplier, c.Seed, ApiNames.Of(c.LrScaling), ApiNames.Of(c.GbnImplementation),
            ApiNames.Of(c.RunningStats), TrialState.Queued, 0, 1, 1, 0, null, null, null, null, new Dictionary<string, double>())).ToList();
        return new SweepDetail(Guid.NewGuid(), spec.Name, spec.Dataset, spec.Model, "active", DateTimeOffset.UtcNow, 0,
            SweepDetailQuery.CountStates(trials.Select(t => t.State)), new SweepProgress(0, 0, 0, null, 0), spec, trials);
    }

    private static SweepSpec Preset(string key) => PaperPresets.Find(key)!.Request.ToSpec();

    [Fact]
    public void The_plan_has_one_row_per_cell_without_seeds_from_the_trainers_plan()
    {
        using var context = new BunitContext();
        var preset = Preset("hoffer2017-resnet44-cifar10");
        var spec = preset with { Training = preset.Training with { Seeds = [1, 2, 3] } };
        var detail = Detail(spec);

        var cut = context.Render<SweepConfigPanel>(p => p.Add(c => c.Sweep, detail));

        var rows = cut.FindAll("#config-plan tr.plan-row");
        Assert.Equal(detail.Trials.Count / 3, rows.Count);
        Assert.False(cut.Find("details#config-panel").HasAttribute("open"));
        Assert.Empty(cut.FindAll("#config-departure"));

        // +RA: B = 2048, G = 128, r = 16, sqrt: the numbers are TrainingPlan.Resolve's.
        var expected = TrainingPlan.Resolve(new TrialCell(2048, 128, 16, 1, LrScaling.Sqrt, default, default), spec.Training, 50_000);
        var ra = rows.Single(r => r.QuerySelectorAll("td").Select(td => td.TextContent).Take(4).SequenceEqual(["2048", "128", "16", "sqrt"]));
        Assert.Equal(expected.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), ra.QuerySelector(".plan-epochs")!.TextContent);
        Assert.Equal(expected.TotalSteps.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), ra.QuerySelector(".plan-updates")!.TextContent);
        Assert.Equal(string.Join(", ", expected.LrDropEpochs), ra.QuerySelector(".plan-drops")!.TextContent);
        Assert.Equal("3200", ra.QuerySelector(".plan-epochs")!.TextContent);
        Assert.Equal("1296, 1952, 2624", ra.QuerySelector(".plan-drops")!.TextContent);
        Assert.Contains("η_ref = 0.1, B_ref = 128", cut.Find("#config-lr-rule").TextContent, StringComparison.Ordinal);
        Assert.Contains("running statistics training left", cut.Find("#config-eval-stats").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("ghostBatchSize", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_run_on_a_subset_of_a_preset_lists_its_departures()
    {
        using var context = new BunitContext();
        var preset = Preset("hoffer2017-f1-mnist");
        var spec = preset with { Training = preset.Training with { Epochs = 2, TrainSubset = 1024 } };

        var cut = context.Render<SweepConfigPanel>(p => p.Add(c => c.Sweep, Detail(spec)));

        var warning = cut.Find("#config-departure");
        Assert.Contains("Hoffer et al. 2017, F1 on MNIST", warning.TextContent, StringComparison.Ordinal);
        Assert.Equal(["epochs: 2 here, 50 in the preset", "training subset: 1,024 images here, full training set in the preset"],
            warning.QuerySelectorAll("li").Select(li => li.TextContent));
        Assert.Contains("2 epochs, 1,024 training images", cut.Find("summary").TextContent, StringComparison.Ordinal);
    }
}

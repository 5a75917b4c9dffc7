using Bunit;
using Sweep.Domain.Presets;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The paper's Table 1 for a sweep: which trials fill which column, the mean ± std over seeds, the paper's row.</summary>
public sealed class ReproductionTableTests
{
    private static TrialView Trial(int batch, int ghost, double regime, int seed, LrScaling rule, string state, double? accuracy = null) => new(
        Guid.NewGuid(), batch, ghost, regime, seed, rule.ToString().ToLowerInvariant(), "vectorized", "sequential",
        state, 0, 1, 1, 0, null, null, null, null,
        accuracy is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>());

    private static SweepDetail Sweep(SweepSpec spec, params TrialView[] trials) => new(
        Guid.NewGuid(), spec.Name, spec.Dataset, spec.Model, "active", DateTimeOffset.UtcNow, 0,
        SweepReader.CountStates(trials.Select(t => t.State)), new SweepProgress(0, 0, 0, null, 0), spec, trials);

    private static SweepDetail F1Sweep(string dataset = "fashion-mnist") => Sweep(
        PaperPresets.Find("hoffer2017-f1-fashion-mnist")!.Request.ToSpec() with { Dataset = dataset },
        Trial(128, 128, 1, 1, LrScaling.None, TrialState.Completed, 0.90),
        Trial(128, 128, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.90),
        Trial(128, 128, 1, 2, LrScaling.None, TrialState.Completed, 0.92),
        Trial(128, 128, 1, 2, LrScaling.Sqrt, TrialState.Completed, 0.92),
        Trial(4096, 4096, 1, 1, LrScaling.None, TrialState.Completed, 0.85),
        Trial(4096, 4096, 1, 2, LrScaling.None, TrialState.Running),
        Trial(4096, 4096, 1, 1, LrScaling.Sqrt, TrialState.Queued),
        Trial(4096, 4096, 1, 2, LrScaling.Sqrt, TrialState.Failed, double.NaN),
        Trial(4096, 128, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.88),
        Trial(4096, 128, 32, 1, LrScaling.Sqrt, TrialState.Completed, 0.915),
        Trial(4096, 4096, 32, 1, LrScaling.Sqrt, TrialState.Completed, 0.99));

    [Fact]
    public void Trials_fill_the_papers_columns_with_mean_and_std_over_seeds()
    {
        var summary = ReproductionSummary.From(F1Sweep())!;

        Assert.Equal(128, summary.ReferenceBatchSize);
        Assert.Equal(4096, summary.LargeBatch);
        var cells = Assert.Single(summary.Rows).Cells.ToDictionary(c => c.Column);

        // SB's none and sqrt cells are the same run: one value per seed.
        Assert.Equal(0.91, cells[PaperColumn.SmallBatch].Mean!.Value, 9);
        Assert.Equal(Math.Sqrt(2 * 0.01 * 0.01), cells[PaperColumn.SmallBatch].Std!.Value, 9);
        Assert.Equal(2, cells[PaperColumn.SmallBatch].Seeds);
        Assert.Equal(0.85, cells[PaperColumn.LargeBatch].Mean);
        Assert.Null(cells[PaperColumn.LargeBatch].Std);
        Assert.Equal(1, cells[PaperColumn.LargeBatch].Pending);
        Assert.Null(cells[PaperColumn.LearningRate].Mean);
        Assert.Equal(2, cells[PaperColumn.LearningRate].Trials);
        Assert.Equal(0.88, cells[PaperColumn.GhostBatchNorm].Mean);
        Assert.Equal(0.915, cells[PaperColumn.RegimeAdaptation].Mean);
        Assert.Equal(PaperPresets.F1, summary.Paper);
        Assert.True(summary.DatasetDiffers);
    }

    [Fact]
    public void The_table_shows_sweeps_numbers_beside_the_papers()
    {
        using var context = new BunitContext();

        var cut = context.Render<ReproductionTable>(p => p.Add(t => t.Summary, ReproductionSummary.From(F1Sweep())!));

        Assert.Equal(["Run", "SB", "LB", "+LR", "+GBN", "+RA"], cut.FindAll("thead th").Select(th => th.TextContent.Trim()));
        var sweep = cut.Find("tr.sweep-result");
        Assert.Contains("f1 on fashion-mnist", sweep.QuerySelector("th")!.TextContent);
        Assert.Contains("91.00 ± 1.41", sweep.QuerySelector("td[data-column=SB]")!.TextContent);
        Assert.Contains("85.00", sweep.QuerySelector("td[data-column=LB]")!.TextContent);
        Assert.Contains("—", sweep.QuerySelector("td[data-column='+LR']")!.TextContent);
        Assert.Contains("1 to run", sweep.QuerySelector("td[data-column='+LR']")!.TextContent);
        Assert.Contains("91.50", sweep.QuerySelector("td[data-column='+RA']")!.TextContent);

        var paper = cut.Find("tr.paper-result");
        Assert.Contains("paper: F1 on MNIST", paper.TextContent);
        Assert.Equal(["98.27", "97.05", "97.55", "97.60", "98.53"], paper.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Contains("paper: F1 on MNIST", cut.Find("#paper-dataset-note").TextContent);
    }

    [Fact]
    public void The_same_dataset_as_the_paper_needs_no_note()
    {
        using var context = new BunitContext();

        var cut = context.Render<ReproductionTable>(p => p.Add(t => t.Summary, ReproductionSummary.From(F1Sweep("mnist"))!));

        Assert.Contains("paper: F1 on MNIST", cut.Find("tr.paper-result").TextContent);
        Assert.Empty(cut.FindAll("#paper-dataset-note"));
    }

    [Fact]
    public void A_network_the_paper_did_not_run_gets_no_paper_row()
    {
        var spec = new SweepRequest { Name = "r20", Model = "resnet20", Dataset = "cifar10", Grid = new GridSpec { BatchSize = [128, 1024], GhostBatchSize = [128] } }.ToSpec();
        using var context = new BunitContext();

        var summary = ReproductionSummary.From(Sweep(spec, Trial(128, 128, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.9)))!;
        var cut = context.Render<ReproductionTable>(p => p.Add(t => t.Summary, summary));

        Assert.Null(summary.Paper);
        Assert.Empty(cut.FindAll("tr.paper-result"));
        Assert.Contains("no row for resnet20 on cifar10", cut.Find("#paper-missing").TextContent);
    }

    [Fact]
    public void A_sweep_without_the_papers_configurations_has_no_table()
    {
        var spec = new SweepRequest { Name = "mid", Grid = new GridSpec { BatchSize = [256, 512], GhostBatchSize = [64] } }.ToSpec();

        Assert.Null(ReproductionSummary.From(Sweep(spec,
            Trial(256, 64, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.9),
            Trial(512, 64, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.9))));
        Assert.Null(ReproductionSummary.From(Sweep(spec)));
    }

    [Fact]
    public void Swept_bn_variants_get_a_row_each()
    {
        var spec = PaperPresets.Find("hoffer2017-f1-mnist")!.Request.ToSpec();
        var accumulate = Trial(128, 128, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.95) with { GbnImplementation = "accumulate" };

        var summary = ReproductionSummary.From(Sweep(spec, Trial(128, 128, 1, 1, LrScaling.Sqrt, TrialState.Completed, 0.97), accumulate))!;

        Assert.Equal(2, summary.Rows.Count);
        Assert.Equal(["vectorized ghost BN, sequential running stats", "accumulate ghost BN, sequential running stats"], summary.Rows.Select(r => r.Variant));
        Assert.Equal(0.95, summary.Rows[1].Cells[0].Mean);
    }
}

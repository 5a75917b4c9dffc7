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
        SweepDetailQuery.CountStates(trials.Select(t => t.State)), new SweepProgress(0, 0, 0, null, 0), spec, trials);

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
        // Mean ± the 95 % half-width: two seeds 1.41 points apart have t(1) = 12.71 times their standard error.
        Assert.Contains("91.00 ± 12.71", sweep.QuerySelector("td[data-column=SB]")!.TextContent);
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
        Assert.Empty(cut.FindAll("#preset-departure"));
    }

    [Fact]
    public void A_short_run_on_a_subset_beside_the_papers_numbers_says_so()
    {
        using var context = new BunitContext();
        var sweep = F1Sweep("mnist");
        var shortRun = sweep with { Spec = sweep.Spec with { Training = sweep.Spec.Training with { Epochs = 2, TrainSubset = 1024 } } };

        var cut = context.Render<ReproductionTable>(p => p.Add(t => t.Summary, ReproductionSummary.From(shortRun)!));

        var warning = cut.Find("#preset-departure").TextContent;
        Assert.Contains("epochs: 2 here, 50 in the preset", warning, StringComparison.Ordinal);
        Assert.Contains("training subset: 1,024 images here, full training set in the preset", warning, StringComparison.Ordinal);
        Assert.Contains("98.27", cut.Find("tr.paper-result").TextContent);
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

    private static TrialView Measured(int batch, int ghost, double regime, int seed, double val, double train, double? initialStats = null, LrScaling rule = LrScaling.Sqrt)
    {
        var metrics = new Dictionary<string, double> { [MetricNames.ValAccuracy] = val, [MetricNames.TrainAccuracy] = train, [MetricNames.Steps] = 1000 };
        if (initialStats is { } weight)
        {
            metrics[MetricNames.RunningStatsInitialWeight] = weight;
        }

        return Trial(batch, ghost, regime, seed, rule, TrialState.Completed) with { Metrics = metrics };
    }

    /// <summary>
    /// Three seeds. SB: 0.90 0.91 0.92, train 0.99. LB: 0.85 0.86 0.84, train 0.95 (a 4-point train deficit behind a
    /// 6-point gap: optimization). +GBN: 0.905 0.915 0.91 (within noise of SB), seed 2 with stale running statistics.
    /// </summary>
    private static ReproductionSummary ThreeSeeds() => ReproductionSummary.From(Sweep(
        PaperPresets.Find("hoffer2017-f1-fashion-mnist")!.Request.ToSpec(),
        Measured(128, 128, 1, 1, 0.90, 0.99), Measured(128, 128, 1, 2, 0.91, 0.99), Measured(128, 128, 1, 3, 0.92, 0.99),
        Measured(4096, 4096, 1, 1, 0.85, 0.95, rule: LrScaling.None), Measured(4096, 4096, 1, 2, 0.86, 0.95, rule: LrScaling.None),
        Measured(4096, 4096, 1, 3, 0.84, 0.95, rule: LrScaling.None),
        Measured(4096, 128, 1, 1, 0.905, 0.99), Measured(4096, 128, 1, 2, 0.915, 0.99, initialStats: 0.2), Measured(4096, 128, 1, 3, 0.91, 0.99)))!;

    [Fact]
    public void Each_column_has_its_95_interval_train_accuracy_paired_difference_to_SB_and_flags()
    {
        var cells = Assert.Single(ThreeSeeds().Rows).Cells.ToDictionary(c => c.Column);

        var sb = cells[PaperColumn.SmallBatch];
        Assert.Equal(3, sb.Seeds);
        Assert.Equal(4.302653 * 0.01 / Math.Sqrt(3), sb.Ci95!.HalfWidth, 5);
        Assert.Equal(0.99, sb.TrainAccuracy!.Value, 9);
        Assert.Null(sb.ToSmallBatch);
        Assert.Empty(sb.Flags);

        var lb = cells[PaperColumn.LargeBatch];
        Assert.Equal(0.06, lb.ToSmallBatch!.Mean, 9); // SB − LB: positive is worse than SB
        Assert.True(lb.ToSmallBatch.Paired);
        Assert.Equal(3, lb.ToSmallBatch.N);
        Assert.False(lb.WithinNoise);
        Assert.Equal([GuardFlags.OptimizationGap], lb.Flags);

        var gbn = cells[PaperColumn.GhostBatchNorm];
        Assert.Equal(0.91 - 0.91, gbn.ToSmallBatch!.Mean, 9);
        Assert.True(gbn.WithinNoise);
        Assert.Equal([GuardFlags.RunningStats], gbn.Flags);
        Assert.Null(cells[PaperColumn.LearningRate].ToSmallBatch);
    }

    [Fact]
    public void The_table_shows_intervals_train_accuracy_the_gap_to_SB_and_marks_noise_and_flags()
    {
        using var context = new BunitContext();

        var cut = context.Render<ReproductionTable>(p => p.Add(t => t.Summary, ThreeSeeds()));

        var sweep = cut.Find("tr.sweep-result");
        var sb = sweep.QuerySelector("td[data-column=SB]")!;
        Assert.Contains("91.00 ± 2.48", sb.TextContent);
        Assert.Contains("n = 3", sb.TextContent);
        Assert.Contains("train 99.00", sb.QuerySelector(".train-accuracy")!.TextContent);
        Assert.Null(sb.QuerySelector(".gap"));
        var lb = sweep.QuerySelector("td[data-column=LB]")!;
        Assert.Contains("SB − LB: +6.00 [", lb.QuerySelector(".gap")!.TextContent);
        Assert.DoesNotContain("within-noise", lb.QuerySelector(".gap")!.ClassName);
        Assert.Equal(["optimization-gap"], lb.QuerySelectorAll(".flag").Select(f => f.GetAttribute("data-flag")));
        var gbn = sweep.QuerySelector("td[data-column='+GBN']")!;
        Assert.Contains("within-noise", gbn.QuerySelector(".gap")!.ClassName);
        Assert.Contains("(within noise)", gbn.QuerySelector(".gap")!.TextContent);
        Assert.Equal(["running-stats"], gbn.QuerySelectorAll(".flag").Select(f => f.GetAttribute("data-flag")));
        Assert.Contains("SB − column", cut.Find("caption").TextContent);
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

using Sweep.Domain.Results;
using Sweep.Domain.Statistics;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>The heatmap's seed statistics: intervals, differences to the baseline, guard flags and averaged axes.</summary>
public sealed class HeatmapStatisticsTests
{
    private static readonly Dictionary<GridAxis, double> None = [];
    private static readonly BaselineCell Reference = new(128, 128, 1);

    private static TrialResult Trial(int b, int g, int seed, double val, double? train = null, LrScaling rule = LrScaling.Sqrt, double regime = 1, Dictionary<string, double>? extra = null)
    {
        var metrics = new Dictionary<string, double>(extra ?? []) { [MetricNames.ValAccuracy] = val };
        if (train is { } t)
        {
            metrics[MetricNames.TrainAccuracy] = t;
        }

        return new TrialResult(Cells.Of(b, g, regime, seed, rule), TrialState.Completed, metrics);
    }

    private static HeatmapQuery Query(string metric = MetricNames.ValAccuracy, BaselineCell? baseline = null) =>
        new(GridAxis.BatchSize, GridAxis.GhostBatchSize, metric, None) { Baseline = baseline };

    /// <summary>Baseline seeds 1–3; a cell that equals it within noise (x = 1024) and one clearly worse (x = 2048), all at G = 128.</summary>
    private static TrialResult[] ThreeCells() =>
    [
        Trial(128, 128, 1, 0.90), Trial(128, 128, 2, 0.92), Trial(128, 128, 3, 0.91),
        Trial(1024, 128, 1, 0.905), Trial(1024, 128, 2, 0.915), Trial(1024, 128, 3, 0.912),
        Trial(2048, 128, 1, 0.80), Trial(2048, 128, 2, 0.83), Trial(2048, 128, 3, 0.81),
    ];

    [Fact]
    public void A_three_seed_cell_has_a_t2_interval_around_its_mean()
    {
        TrialResult[] trials = [Trial(128, 128, 1, 0.80), Trial(128, 128, 2, 0.90), Trial(128, 128, 3, 0.85), Trial(256, 128, 1, 0.7)];

        var map = HeatmapProjector.Project(trials, Query());

        var half = 4.302653 * 0.05 / Math.Sqrt(3);
        Assert.Equal(0.85 - half, map.Ci95[0][0]!.Low, 5);
        Assert.Equal(0.85 + half, map.Ci95[0][0]!.High, 5);
        Assert.Equal(0.85, map.Z[0][0]!.Value, 12);
        Assert.Null(map.Ci95[0][1]);
        Assert.Null(map.ToBaseline[0][0]);
        Assert.Null(map.WithinNoise[0][0]);
    }

    [Fact]
    public void A_cell_like_the_baseline_is_within_noise_and_a_worse_one_is_not()
    {
        var map = HeatmapProjector.Project(ThreeCells(), Query(baseline: Reference));

        Assert.Equal([128.0, 1024.0, 2048.0], map.X);
        Assert.Null(map.ToBaseline[0][0]);
        Assert.Null(map.WithinNoise[0][0]);
        Assert.True(map.WithinNoise[0][1]);
        Assert.False(map.WithinNoise[0][2]);
        var worse = map.ToBaseline[0][2]!;
        Assert.True(worse.Paired);
        Assert.Equal(3, worse.N);
        Assert.Equal(0.91 - 0.81333333333, worse.Mean, 9);
    }

    [Fact]
    public void Seeds_the_baseline_lacks_give_an_unpaired_difference()
    {
        TrialResult[] trials =
        [
            Trial(128, 128, 1, 0.90), Trial(128, 128, 2, 0.92), Trial(128, 128, 3, 0.91),
            Trial(1024, 128, 1, 0.85), Trial(1024, 128, 2, 0.86),
            Trial(2048, 128, 7, 0.80), Trial(2048, 128, 8, 0.82),
        ];

        var map = HeatmapProjector.Project(trials, Query(baseline: Reference));

        Assert.True(map.ToBaseline[0][1]!.Paired);
        Assert.Equal(2, map.ToBaseline[0][1]!.N);
        Assert.Equal(0.055, map.ToBaseline[0][1]!.Mean, 12);
        Assert.False(map.ToBaseline[0][2]!.Paired);
        Assert.Equal(0.91 - 0.81, map.ToBaseline[0][2]!.Mean, 12);
    }

    [Fact]
    public void The_papers_gap_compares_accuracies_and_its_difference_equals_its_value_when_seeds_pair()
    {
        var gap = HeatmapProjector.Project(ThreeCells(), Query(MetricNames.GapToBaseline, Reference));
        var accuracy = HeatmapProjector.Project(ThreeCells(), Query(baseline: Reference));

        Assert.Equal(gap.Z[0][2]!.Value, gap.ToBaseline[0][2]!.Mean, 12);
        Assert.Equal(accuracy.ToBaseline[0][2], gap.ToBaseline[0][2]);
        Assert.Equal(accuracy.WithinNoise[0], gap.WithinNoise[0]);
    }

    [Fact]
    public void Every_metric_is_compared_to_the_baseline_in_its_own_units()
    {
        var error = HeatmapProjector.Project(ThreeCells(), Query(MetricNames.ValError, Reference));

        // Error is 1 − accuracy: baseline − cell flips sign.
        Assert.Equal(-(0.91 - 0.81333333333), error.ToBaseline[0][2]!.Mean, 9);
    }

    [Fact]
    public void The_baseline_is_matched_on_the_cells_other_axes_when_it_has_them()
    {
        TrialResult[] trials =
        [
            Trial(128, 128, 1, 0.90, rule: LrScaling.None), Trial(128, 128, 2, 0.90, rule: LrScaling.None),
            Trial(128, 128, 1, 0.70, rule: LrScaling.Sqrt), Trial(128, 128, 2, 0.70, rule: LrScaling.Sqrt),
            Trial(1024, 128, 1, 0.60, rule: LrScaling.None), Trial(1024, 128, 2, 0.60, rule: LrScaling.None),
            Trial(2048, 128, 1, 0.60, rule: LrScaling.Linear), Trial(2048, 128, 2, 0.60, rule: LrScaling.Linear),
        ];
        var query = new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, new Dictionary<GridAxis, double> { [GridAxis.LrScaling] = (int)LrScaling.None })
        {
            Baseline = Reference,
        };

        var fixedRule = HeatmapProjector.Project(trials, query);
        var averaged = HeatmapProjector.Project(trials, query with { Fixed = None });

        // The None cell is compared to the None baseline (0.9), not to all baseline trials (0.8).
        Assert.Equal(0.30, fixedRule.ToBaseline[0][1]!.Mean, 12);
        // No baseline trial has the linear rule: all the baseline's trials are used.
        Assert.Equal(0.20, averaged.ToBaseline[0][2]!.Mean, 12);
    }

    [Fact]
    public void A_seed_repeated_over_an_averaged_axis_is_averaged_first()
    {
        TrialResult[] trials =
        [
            Trial(128, 128, 1, 0.90), Trial(128, 128, 2, 0.92),
            Trial(1024, 128, 1, 0.80, regime: 1), Trial(1024, 128, 1, 0.84, regime: 2),
            Trial(1024, 128, 2, 0.82, regime: 1), Trial(1024, 128, 2, 0.86, regime: 2),
        ];

        var d = HeatmapProjector.Project(trials, Query(baseline: Reference)).ToBaseline[0][1]!;

        Assert.True(d.Paired);
        Assert.Equal(2, d.N);
        Assert.Equal(0.08, d.Mean, 12);
    }

    [Fact]
    public void Averaged_over_names_unfixed_swept_axes_but_not_seeds()
    {
        TrialResult[] trials =
        [
            Trial(128, 128, 1, 0.9, regime: 1), Trial(128, 128, 2, 0.9, regime: 2),
            Trial(1024, 128, 1, 0.8, regime: 1, rule: LrScaling.Linear), Trial(1024, 128, 2, 0.8, regime: 2),
        ];

        var map = HeatmapProjector.Project(trials, Query());
        var fixedRegime = HeatmapProjector.Project(trials, Query() with { Fixed = new Dictionary<GridAxis, double> { [GridAxis.RegimeMultiplier] = 1 } });
        var facets = HeatmapProjector.ProjectFacets(trials, Query(), GridAxis.RegimeMultiplier);

        Assert.Equal(2, map.AveragedOver.Count);
        Assert.Equal("regimeMultiplier", map.AveragedOver[0].Axis);
        Assert.Equal(["1", "2"], map.AveragedOver[0].Values);
        Assert.Equal("lrScaling", map.AveragedOver[1].Axis);
        Assert.Equal(["sqrt", "linear"], map.AveragedOver[1].Values);
        Assert.DoesNotContain(map.AveragedOver, a => a.Axis == "seed");
        // A fixed axis is not averaged; the rules still differ among the trials at regime 1.
        Assert.Equal(["lrScaling"], fixedRegime.AveragedOver.Select(a => a.Axis));
        Assert.All(facets.Panels, p => Assert.Equal(["lrScaling"], p.Map.AveragedOver.Select(a => a.Axis)));
    }

    [Fact]
    public void Flags_are_the_union_of_the_cells_trial_guards_in_the_standard_order()
    {
        TrialResult[] trials =
        [
            Trial(128, 128, 1, 0.9, extra: new() { [MetricNames.Steps] = 50 }),
            Trial(128, 128, 2, 0.9, extra: new() { [MetricNames.RunningStatsInitialWeight] = 0.3, [MetricNames.Steps] = 500 }),
            Trial(256, 128, 1, 0.9, extra: new() { [MetricNames.RunningStatsInitialWeight] = 0.001, [MetricNames.Steps] = 500 }),
        ];

        var map = HeatmapProjector.Project(trials, Query());

        Assert.Equal([GuardFlags.RunningStats, GuardFlags.FewUpdates], map.Flags[0][0]);
        Assert.Empty(map.Flags[0][1]);
    }

    [Fact]
    public void A_cell_whose_train_accuracy_falls_far_below_the_baselines_is_flagged_as_an_optimization_gap()
    {
        TrialResult[] trials =
        [
            Trial(128, 128, 1, 0.90, train: 0.99), Trial(128, 128, 2, 0.90, train: 0.99),
            Trial(1024, 128, 1, 0.85, train: 0.93), Trial(1024, 128, 2, 0.85, train: 0.95),
            Trial(2048, 128, 1, 0.85, train: 0.985), Trial(2048, 128, 2, 0.85, train: 0.985),
            Trial(4096, 128, 1, 0.85),
        ];

        var map = HeatmapProjector.Project(trials, Query(baseline: Reference));
        var withoutBaseline = HeatmapProjector.Project(trials, Query());

        Assert.Empty(map.Flags[0][0]);
        Assert.Equal([GuardFlags.OptimizationGap], map.Flags[0][1]);
        Assert.Empty(map.Flags[0][2]);
        Assert.Empty(map.Flags[0][3]);
        Assert.Empty(withoutBaseline.Flags[0][1]);
    }
}

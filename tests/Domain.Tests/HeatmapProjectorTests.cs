using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class HeatmapProjectorTests
{
    private static TrialResult Result(int b, int g, double r, int seed, double? acc, string state = TrialState.Completed) =>
        new(Cells.Of(b, g, r, seed), state, acc is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>());

    private static readonly Dictionary<GridAxis, double> None = [];

    [Fact]
    public void Averages_over_seeds_and_orders_axes_ascending()
    {
        TrialResult[] trials =
        [
            Result(1024, 128, 1, 1, 0.80), Result(1024, 128, 1, 2, 0.90),
            Result(128, 128, 1, 1, 0.95), Result(128, 128, 1, 2, 0.97),
        ];

        var map = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None));

        Assert.Equal([128.0, 1024.0], map.X);
        Assert.Equal([128.0], map.Y);
        Assert.Equal(0.96, map.Z[0][0]!.Value, 12);
        Assert.Equal(0.85, map.Z[0][1]!.Value, 12);
        Assert.Equal([2, 2], map.Count[0]);
        Assert.Equal(Math.Sqrt(0.005), map.Std[0][1]!.Value, 12);
    }

    [Fact]
    public void Cells_without_a_finite_result_are_null()
    {
        TrialResult[] trials =
        [
            Result(128, 32, 1, 1, 0.9),
            Result(256, 32, 1, 1, null, TrialState.Running),
            Result(128, 64, 1, 1, double.NaN),
        ];

        var map = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None));

        Assert.Equal([128.0, 256.0], map.X);
        Assert.Equal([32.0, 64.0], map.Y);
        Assert.Equal(0.9, map.Z[0][0]);
        Assert.Null(map.Z[0][1]);
        Assert.Null(map.Z[1][0]);
        Assert.Null(map.Z[1][1]);
    }

    [Fact]
    public void A_fixed_axis_filters_and_an_unplotted_free_axis_is_averaged()
    {
        TrialResult[] trials =
        [
            Result(128, 128, 1, 1, 0.90), Result(128, 128, 2, 1, 0.94),
            Result(1024, 128, 1, 1, 0.80), Result(1024, 128, 2, 1, 0.88),
        ];
        var fixedRegime = new Dictionary<GridAxis, double> { [GridAxis.RegimeMultiplier] = 2 };

        var fixedMap = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, fixedRegime));
        var averaged = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None));

        Assert.Equal([0.94, 0.88], fixedMap.Z[0].Select(v => v!.Value));
        Assert.Equal(0.92, averaged.Z[0][0]!.Value, 12);
        Assert.Equal(0.84, averaged.Z[0][1]!.Value, 12);
    }

    [Fact]
    public void A_categorical_axis_is_labelled_by_name()
    {
        TrialResult[] trials =
        [
            new(Cells.Of(128, 128, 1, 1, LrScaling.None), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.8 }),
            new(Cells.Of(128, 128, 1, 1, LrScaling.Sqrt), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.9 }),
        ];

        var map = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.LrScaling, GridAxis.BatchSize, MetricNames.ValAccuracy, None));

        Assert.Equal(["none", "sqrt"], map.XLabels);
        Assert.Equal(["128"], map.YLabels);
        Assert.Equal([0.8, 0.9], map.Z[0].Select(v => v!.Value));
    }

    [Fact]
    public void The_papers_gap_is_the_baseline_cells_accuracy_minus_each_cells_even_when_an_axis_is_fixed()
    {
        TrialResult[] trials =
        [
            Result(128, 128, 1, 1, 0.90), Result(128, 128, 1, 2, 0.92),
            Result(4096, 4096, 1, 1, 0.80), Result(4096, 128, 32, 1, 0.905),
        ];
        var query = new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.GapToBaseline, new Dictionary<GridAxis, double> { [GridAxis.RegimeMultiplier] = 32 })
        {
            Baseline = new BaselineCell(128, 128, 1),
        };

        var map = HeatmapProjector.Project(trials, query);

        Assert.Equal([4096.0], map.X);
        Assert.Equal(0.91 - 0.905, map.Z[0][0]!.Value, 12);
        Assert.Null(HeatmapProjector.Project(trials, query with { Baseline = null }).Z[0][0]);
    }

    [Fact]
    public void Validation_error_is_one_minus_accuracy_and_cells_name_their_trials_without_a_result()
    {
        TrialResult[] trials =
        [
            Result(128, 32, 1, 1, 0.9), Result(128, 32, 1, 2, null, TrialState.Running), Result(128, 32, 1, 3, null, TrialState.Failed),
        ];

        var map = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValError, None));

        Assert.Equal(0.1, map.Z[0][0]!.Value, 12);
        Assert.Equal("1 running · 1 failed", map.Notes[0][0]);
    }

    [Fact]
    public void The_same_axis_twice_is_refused() =>
        Assert.Throws<ArgumentException>(() => HeatmapProjector.Project([], new HeatmapQuery(GridAxis.Seed, GridAxis.Seed, MetricNames.ValAccuracy, None)));

    private static TrialResult WithHistory(int b, int g, double r, int seed, string state, params double[] valAccuracyByEpoch) =>
        new(Cells.Of(b, g, r, seed), state, state == TrialState.Completed ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = valAccuracyByEpoch[^1] } : new Dictionary<string, double>())
        {
            Id = Guid.NewGuid(),
            History = new Dictionary<string, IReadOnlyList<EpochValue>>
            {
                [MetricNames.ValAccuracy] = valAccuracyByEpoch.Select((v, epoch) => new EpochValue(epoch, v)).ToList(),
            },
        };

    [Fact]
    public void Facets_give_one_panel_per_value_of_the_third_axis_on_shared_axes_and_one_range()
    {
        TrialResult[] trials =
        [
            Result(128, 128, 1, 1, 0.90), Result(1024, 128, 1, 1, 0.80),
            Result(128, 128, 4, 1, 0.92), Result(1024, 1024, 4, 1, 0.70), Result(1024, 128, 4, 1, 0.89),
        ];
        var query = new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, new Dictionary<GridAxis, double> { [GridAxis.RegimeMultiplier] = 4 });

        var faceted = HeatmapProjector.ProjectFacets(trials, query, GridAxis.RegimeMultiplier);

        Assert.Equal("regimeMultiplier", faceted.Facet);
        Assert.Equal([1.0, 4.0], faceted.Panels.Select(p => p.Value));
        Assert.Equal(["1", "4"], faceted.Panels.Select(p => p.Label));
        Assert.All(faceted.Panels, p =>
        {
            Assert.Equal([128.0, 1024.0], p.Map.X);
            Assert.Equal([128.0, 1024.0], p.Map.Y);
        });
        var regime1 = faceted.Panels[0].Map;
        Assert.Equal([0.90, 0.80], regime1.Z[0].Select(v => v!.Value));
        Assert.Equal([null, null], regime1.Z[1]);          // G = 1024 exists only at regime 4
        Assert.Empty(regime1.Trials[1][1]);
        Assert.Equal([0.92, 0.89], faceted.Panels[1].Map.Z[0].Select(v => v!.Value));
        Assert.Equal(0.70, faceted.Panels[1].Map.Z[1][1]);
        Assert.Equal(0.70, faceted.ZMin);
        Assert.Equal(0.92, faceted.ZMax);
    }

    [Fact]
    public void A_facet_over_a_categorical_axis_is_labelled_by_name_and_other_free_axes_are_averaged()
    {
        TrialResult[] trials =
        [
            new(Cells.Of(128, 128, 1, 1, LrScaling.None), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.8 }),
            new(Cells.Of(128, 128, 1, 2, LrScaling.None), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.9 }),
            new(Cells.Of(128, 128, 1, 1, LrScaling.Sqrt), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.7 }),
        ];

        var faceted = HeatmapProjector.ProjectFacets(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None), GridAxis.LrScaling);

        Assert.Equal(["none", "sqrt"], faceted.Panels.Select(p => p.Label));
        Assert.Equal(0.85, faceted.Panels[0].Map.Z[0][0]!.Value, 12);
        Assert.Equal(2, faceted.Panels[0].Map.Count[0][0]);
        Assert.Equal(0.7, faceted.Panels[1].Map.Z[0][0]);
    }

    [Fact]
    public void A_facet_on_a_plotted_axis_is_refused() =>
        Assert.Throws<ArgumentException>(() => HeatmapProjector.ProjectFacets([], new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None), GridAxis.GhostBatchSize));

    [Fact]
    public void Best_is_the_highest_accuracy_over_trained_epochs_and_the_gap_compares_bests()
    {
        TrialResult[] trials =
        [
            WithHistory(128, 128, 1, 1, TrialState.Completed, 0.10, 0.95, 0.90),
            WithHistory(1024, 128, 1, 1, TrialState.Completed, 0.99, 0.70, 0.85, 0.80),   // epoch 0 is not a candidate
            WithHistory(4096, 128, 1, 1, TrialState.Running, 0.10, 0.60),
        ];
        var query = new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None) { At = PointInTime.Best };

        var best = HeatmapProjector.Project(trials, query);
        var gap = HeatmapProjector.Project(trials, query with { Metric = MetricNames.GapToBaseline, Baseline = new BaselineCell(128, 128, 1) });
        var error = HeatmapProjector.Project(trials, query with { Metric = MetricNames.ValError });

        Assert.Equal([0.95, 0.85, 0.60], best.Z[0].Select(v => v!.Value));
        Assert.Equal("1 running", best.Notes[0][2]);
        Assert.Equal(0.95 - 0.85, gap.Z[0][1]!.Value, 12);
        Assert.Equal(1 - 0.85, error.Z[0][1]!.Value, 12);
    }

    [Fact]
    public void Best_is_the_lowest_loss_and_metrics_without_a_direction_have_no_best()
    {
        var trial = new TrialResult(Cells.Of(128, 128, 1, 1), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValLoss] = 0.5 })
        {
            History = new Dictionary<string, IReadOnlyList<EpochValue>>
            {
                [MetricNames.ValLoss] = [new(0, 0.01), new(1, 0.4), new(2, 0.3), new(3, 0.5)],
            },
        };
        var query = new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValLoss, None) { At = PointInTime.Best };

        Assert.Equal(0.3, HeatmapProjector.Project([trial], query).Z[0][0]);
        Assert.Equal(0.5, HeatmapProjector.Project([trial], query with { At = PointInTime.Final }).Z[0][0]);
        Assert.Throws<ArgumentException>(() => HeatmapProjector.Project([trial], query with { Metric = MetricNames.WallSeconds }));
    }

    [Fact]
    public void At_epoch_n_cells_read_the_value_after_n_epochs_and_trials_short_of_it_are_named()
    {
        TrialResult[] trials =
        [
            WithHistory(128, 128, 1, 1, TrialState.Completed, 0.10, 0.80, 0.90),
            WithHistory(128, 128, 1, 2, TrialState.Completed, 0.10, 0.84),            // a shorter run: ended after 1 epoch
            WithHistory(1024, 128, 1, 1, TrialState.Running, 0.10, 0.50, 0.60, 0.70), // running, past epoch 2
            WithHistory(4096, 128, 1, 1, TrialState.Running, 0.10),                    // running, not there yet
        ];
        var query = new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None) { At = PointInTime.AtEpoch(2) };

        var map = HeatmapProjector.Project(trials, query);

        Assert.Equal(0.90, map.Z[0][0]);
        Assert.Equal(1, map.Count[0][0]);
        Assert.Equal("1 ended before epoch 2", map.Notes[0][0]);
        Assert.Equal(0.60, map.Z[0][1]);
        Assert.Null(map.Z[0][2]);
        Assert.Equal("1 running", map.Notes[0][2]);
        Assert.Equal(0.82, HeatmapProjector.Project(trials, query with { At = PointInTime.AtEpoch(1) }).Z[0][0]!.Value, 12);
    }

    [Fact]
    public void Each_cell_names_its_trials_with_a_value_first()
    {
        var running = WithHistory(128, 128, 1, 1, TrialState.Running, 0.1);
        var done = WithHistory(128, 128, 1, 2, TrialState.Completed, 0.1, 0.9);

        var map = HeatmapProjector.Project([running, done], new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None));

        Assert.Equal([done.Id, running.Id], map.Trials[0][0]);
    }

    [Theory]
    [InlineData(null, PointInTimeKind.Final, 0)]
    [InlineData("final", PointInTimeKind.Final, 0)]
    [InlineData("BEST", PointInTimeKind.Best, 0)]
    [InlineData("epoch:0", PointInTimeKind.Epoch, 0)]
    [InlineData("epoch:12", PointInTimeKind.Epoch, 12)]
    public void Points_in_time_parse(string? text, PointInTimeKind kind, int epoch)
    {
        Assert.True(PointInTime.TryParse(text, out var at, out var error));
        Assert.Null(error);
        Assert.Equal(new PointInTime(kind, epoch), at);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("epoch:")]
    [InlineData("epoch:-1")]
    [InlineData("epoch:1.5")]
    [InlineData("epoch")]
    public void Unknown_points_in_time_are_refused_with_a_reason(string text)
    {
        Assert.False(PointInTime.TryParse(text, out _, out var error));
        Assert.Contains("epoch:N", error);
    }
}

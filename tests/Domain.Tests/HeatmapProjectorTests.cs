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
}

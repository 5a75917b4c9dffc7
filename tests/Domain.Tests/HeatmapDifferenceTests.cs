using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>The compare view's arithmetic: B − A on the cells both sweeps have a value for, every other cell missing.</summary>
public sealed class HeatmapDifferenceTests
{
    private static readonly Dictionary<GridAxis, double> None = [];

    private static readonly HeatmapQuery Query = new(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, None);

    private static TrialResult Result(int b, int g, int seed, double? acc, string state = TrialState.Completed, LrScaling rule = LrScaling.Sqrt) =>
        new(Cells.Of(b, g, 1, seed, rule), state, acc is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>())
        {
            Id = Guid.NewGuid(),
        };

    private static Heatmap Map(params TrialResult[] trials) => HeatmapProjector.Project(trials, Query);

    [Fact]
    public void Matching_cells_hold_b_minus_a_with_the_smaller_n()
    {
        var a = Map(Result(128, 128, 1, 0.90), Result(128, 128, 2, 0.92), Result(256, 128, 1, 0.80));
        var b = Map(Result(128, 128, 1, 0.95), Result(256, 128, 1, 0.70), Result(256, 128, 2, 0.74));

        var diff = HeatmapDifference.Of(a, b);

        Assert.Equal([128.0, 256.0], diff.X);
        Assert.Equal([128.0], diff.Y);
        Assert.Equal(0.95 - 0.91, diff.Z[0][0]!.Value, 12);
        Assert.Equal(0.72 - 0.80, diff.Z[0][1]!.Value, 12);
        Assert.Equal([1, 1], diff.Count[0]);
        Assert.All(diff.Notes[0], Assert.Null);
    }

    [Fact]
    public void Cells_only_one_sweep_ran_are_kept_on_the_union_grid_as_missing()
    {
        var a = Map(Result(128, 128, 1, 0.90), Result(512, 128, 1, 0.85));
        var b = Map(Result(128, 128, 1, 0.93), Result(1024, 64, 1, 0.60));

        var diff = HeatmapDifference.Of(a, b);

        Assert.Equal([128.0, 512.0, 1024.0], diff.X);
        Assert.Equal([64.0, 128.0], diff.Y);
        Assert.Equal(0.03, diff.Z[1][0]!.Value, 12);
        Assert.Null(diff.Z[1][1]);
        Assert.Equal("only in A", diff.Notes[1][1]);
        Assert.Null(diff.Z[0][2]);
        Assert.Equal("only in B", diff.Notes[0][2]);
        Assert.Null(diff.Z[0][0]);
        Assert.Equal("in neither sweep", diff.Notes[0][0]);
        Assert.Equal(0, diff.Count[0][2]);
    }

    [Fact]
    public void A_cell_without_a_value_in_either_sweep_is_missing_and_names_its_trials()
    {
        var failed = Result(256, 128, 1, null, TrialState.Failed);
        var a = Map(Result(128, 128, 1, 0.90), failed);
        var b = Map(Result(128, 128, 1, 0.91), Result(256, 128, 1, 0.50), Result(128, 64, 1, double.NaN));

        var diff = HeatmapDifference.Of(a, b);

        Assert.Null(diff.Z[1][1]);
        Assert.Equal("no value in A", diff.Notes[1][1]);
        Assert.Contains(failed.Id, diff.Trials[1][1]);
        Assert.Null(diff.Z[0][0]);
        Assert.Equal("only in B", diff.Notes[0][0]);
    }

    [Fact]
    public void Identical_sweeps_differ_by_zero_everywhere_they_have_values()
    {
        TrialResult[] trials = [Result(128, 128, 1, 0.9), Result(256, 128, 1, 0.8), Result(256, 64, 1, 0.7)];
        var a = Map(trials);

        var diff = HeatmapDifference.Of(a, Map(trials));

        Assert.Equal(a.X, diff.X);
        Assert.Equal(a.Y, diff.Y);
        for (var r = 0; r < a.Y.Count; r++)
        {
            for (var c = 0; c < a.X.Count; c++)
            {
                Assert.Equal(a.Z[r][c] is null ? null : 0.0, diff.Z[r][c]);
            }
        }
    }

    [Fact]
    public void Categorical_axes_keep_their_labels()
    {
        var query = new HeatmapQuery(GridAxis.LrScaling, GridAxis.BatchSize, MetricNames.ValAccuracy, None);
        var a = HeatmapProjector.Project([Result(128, 128, 1, 0.9, rule: LrScaling.Sqrt)], query);
        var b = HeatmapProjector.Project([Result(128, 128, 1, 0.8, rule: LrScaling.Sqrt), Result(128, 128, 1, 0.7, rule: LrScaling.Linear)], query);

        var diff = HeatmapDifference.Of(a, b);

        Assert.Equal(b.XLabels, diff.XLabels);
        Assert.Equal(-0.1, diff.Z[0][diff.XLabels.ToList().IndexOf(a.XLabels[0])]!.Value, 12);
    }
}

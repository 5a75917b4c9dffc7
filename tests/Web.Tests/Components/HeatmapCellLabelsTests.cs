using System.Globalization;
using Bunit;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>
/// What each heatmap cell says without the colour bar: its value in the tables' unit with n, or a glyph and a word for
/// why it has none; the same in the chart's annotations, the table view and the key.
/// </summary>
public sealed class HeatmapCellLabelsTests
{
    private static readonly Dictionary<Guid, string> States = [];

    private static TrialResult Result(int batch, LrScaling rule, int seed, double? accuracy, string state = TrialState.Completed)
    {
        var id = Guid.NewGuid();
        States[id] = state;
        return new TrialResult(
            new TrialCell(batch, 128, 1, seed, rule, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential),
            state,
            accuracy is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>())
        { Id = id };
    }

    /// <summary>
    /// x = batch size (128, 256, 512, 1024), y = LR rule (none, sqrt). Row none: 128 has two seeds (83 % and 84 %), 256
    /// failed, 512 was cancelled, 1024 is running. Row sqrt: 128 is 90 %; 256, 512 and 1024 have no trial (skipped).
    /// </summary>
    private static Heatmap Map() => HeatmapProjector.Project(
        [
            Result(128, LrScaling.None, 1, 0.83),
            Result(128, LrScaling.None, 2, 0.84),
            Result(256, LrScaling.None, 1, null, TrialState.Failed),
            Result(512, LrScaling.None, 1, null, TrialState.Cancelled),
            Result(1024, LrScaling.None, 1, null, TrialState.Running),
            Result(128, LrScaling.Sqrt, 1, 0.90),
        ],
        new HeatmapQuery(GridAxis.BatchSize, GridAxis.LrScaling, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()));

    [Fact]
    public void Each_cell_is_labelled_with_its_value_in_percent_and_n_or_its_missing_state()
    {
        var annotations = HeatmapAnnotations.For(Map(), MetricNames.ValAccuracy, States);

        // Placed by category index: x 0–3 are B = 128 … 1024, y 0 is none and 1 is sqrt.
        var byCell = annotations.ToDictionary(a => (Convert.ToInt32(a.X, CultureInfo.InvariantCulture), Convert.ToInt32(a.Y, CultureInfo.InvariantCulture)), a => a.Text);
        Assert.Equal(8, byCell.Count);
        Assert.Equal("83.5 %<br>n=2", byCell[(0, 0)]);
        Assert.Equal("90.0 %<br>n=1", byCell[(0, 1)]);
        Assert.Equal("✕ failed", byCell[(1, 0)]);
        Assert.Equal("⊘ cancelled", byCell[(2, 0)]);
        Assert.Equal("… pending", byCell[(3, 0)]);
        Assert.Equal("— invalid", byCell[(1, 1)]);
        Assert.All(annotations, a => Assert.Equal(false, a.ShowArrow));
        Assert.All(annotations, a => Assert.Equal(("x", "y"), (a.XRef, a.YRef)));
    }

    [Fact]
    public void A_failed_cell_that_still_has_a_trial_to_run_is_pending_and_a_cell_without_trials_is_invalid()
    {
        var map = HeatmapProjector.Project(
            [Result(128, LrScaling.None, 1, null, TrialState.Failed), Result(128, LrScaling.None, 2, null, TrialState.Queued), Result(256, LrScaling.Sqrt, 1, 0.5)],
            new HeatmapQuery(GridAxis.BatchSize, GridAxis.LrScaling, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()));

        var states = HeatmapCells.States(map, States);

        Assert.Equal([HeatmapCellState.Pending, HeatmapCellState.Invalid], states[0]);
        Assert.Equal([HeatmapCellState.Invalid, HeatmapCellState.Value], states[1]);
    }

    [Fact]
    public void Gaps_read_in_signed_points()
    {
        var baseline = new BaselineCell(128, 128, 1);
        var map = HeatmapProjector.Project(
            [Result(128, LrScaling.None, 1, 0.90), Result(256, LrScaling.None, 1, 0.88)],
            new HeatmapQuery(GridAxis.BatchSize, GridAxis.LrScaling, MetricNames.GapToBaseline, new Dictionary<GridAxis, double>()) { Baseline = baseline });

        var texts = HeatmapAnnotations.For(map, MetricNames.GapToBaseline, States).Select(a => a.Text).ToList();

        Assert.Equal(["0 pts<br>n=1", "+2.0 pts<br>n=1"], texts);
    }

    [Fact]
    public void A_label_moves_up_on_a_cell_that_carries_a_guard_mark_so_that_both_read()
    {
        var map = new Heatmap([128, 256], [128], [[0.90, 0.80]], [[1, 1]], [[null, null]])
        {
            Flags = [[[GuardFlags.OptimizationGap], []]],
            Trials = [[[Guid.NewGuid()], [Guid.NewGuid()]]],
        };

        var annotations = HeatmapAnnotations.For(map, MetricNames.ValAccuracy, States);

        Assert.Equal([HeatmapAnnotations.MarkedShift, 0], annotations.Select(a => Convert.ToInt32(a.YShift ?? 0, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(0.80, false, "#ffffff")] // the dark (low) end of viridis
    [InlineData(0.95, false, "#000000")] // the light (high) end
    [InlineData(-0.05, true, "#ffffff")] // a strong gap, dark red or blue
    [InlineData(0.0, true, "#000000")]   // no gap, the light middle
    public void Text_contrasts_with_the_cells_colour(double value, bool diverging, string expected)
    {
        var (min, max) = diverging ? (-0.05, 0.05) : (0.80, 0.95);

        Assert.Equal(expected, HeatmapAnnotations.TextColour(value, min, max, diverging));
    }

    [Fact]
    public void Facet_panels_label_their_cells_on_their_own_axes()
    {
        var map = Map();
        var faceted = new FacetedHeatmap("regimeMultiplier", [new HeatmapFacet(1, "1", map), new HeatmapFacet(2, "2", map)], 0.83, 0.90);

        var annotations = HeatmapFacetBuilder.CellAnnotations(faceted, MetricNames.ValAccuracy, States);

        Assert.Equal(16, annotations.Count);
        Assert.Equal(["x", "x2"], annotations.Select(a => a.XRef).Distinct());
        Assert.Equal(["y", "y2"], annotations.Select(a => a.YRef).Distinct());
    }

    [Fact]
    public void The_table_view_holds_the_same_matrix_with_headers_values_and_missing_words()
    {
        using var context = new BunitContext();
        var cut = context.Render<HeatmapTable>(p => p
            .Add(t => t.Map, Map())
            .Add(t => t.Metric, MetricNames.ValAccuracy)
            .Add(t => t.TrialStates, States)
            .Add(t => t.XLabel, "batchSize")
            .Add(t => t.YLabel, "lrScaling"));

        Assert.Equal(["lrScaling \\ batchSize", "128", "256", "512", "1024"], cut.FindAll("thead th[scope=col]").Select(th => th.TextContent.Trim()));
        Assert.Equal(["none", "sqrt"], cut.FindAll("tbody th[scope=row]").Select(th => th.TextContent.Trim()));
        var none = cut.FindAll("tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["83.5 % n=2", "✕ failed", "⊘ cancelled", "… pending"], none);
        var sqrt = cut.FindAll("tbody tr")[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["90.0 % n=1", "— invalid", "— invalid", "— invalid"], sqrt);
        Assert.Equal("validation accuracy (%)", cut.Find("caption").TextContent);
    }
    /// <summary>A failed trial that ran out of memory, marked as the sweep page marks it (HeatmapCells.TrialMarks).</summary>
    private static TrialResult OutOfMemory(int batch, int seed)
    {
        var result = Result(batch, LrScaling.None, seed, null, TrialState.Failed);
        States[result.Id] = HeatmapCells.RanOutOfMemory;
        return result;
    }

    /// <summary>
    /// x = batch size: 128 completed; 2048 has one seed that ran out of memory and one that completed; 4096 has one
    /// seed out of memory and one that failed otherwise. Only 4096 is out of memory as a state, both are outlined.
    /// </summary>
    [Fact]
    public void Cells_that_lost_a_trial_to_memory_are_outlined_and_read_out_of_memory_when_nothing_else_gives_a_value()
    {
        var results = new[]
        {
            Result(128, LrScaling.None, 1, 0.83),
            OutOfMemory(2048, 1),
            Result(2048, LrScaling.None, 2, 0.70),
            OutOfMemory(4096, 1),
            Result(4096, LrScaling.None, 2, null, TrialState.Failed),
        };
        var map = HeatmapProjector.Project(results,
            new HeatmapQuery(GridAxis.BatchSize, GridAxis.LrScaling, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()));

        var states = HeatmapCells.States(map, States);
        var outlines = HeatmapOutlines.OutOfMemory(map, States);

        Assert.Equal([HeatmapCellState.Value, HeatmapCellState.Value, HeatmapCellState.OutOfMemory], states[0]);
        Assert.Equal("⊠ out of memory", HeatmapAnnotations.For(map, MetricNames.ValAccuracy, States)[2].Text);
        Assert.Equal([(0.54, 1.46), (1.54, 2.46)], outlines.Select(o => (Math.Round(Convert.ToDouble(o.X0, CultureInfo.InvariantCulture), 2), Math.Round(Convert.ToDouble(o.X1, CultureInfo.InvariantCulture), 2))));
        Assert.All(outlines, o => Assert.Equal((HeatmapOutlines.Colour, "x", "y"), ((string)o.Line.Color, o.XRef, o.YRef)));
    }

    [Fact]
    public void Trial_marks_tell_a_failure_for_lack_of_memory_from_other_failures()
    {
        TrialView View(string state, string? kind) => new(Guid.NewGuid(), 128, 128, 1, 1, "none", "vectorized", "sequential", state, 1, 1, 1, 0,
            kind, null, null, null, new Dictionary<string, double>());
        var trials = new[] { View(TrialState.Failed, FailureKind.OutOfMemory), View(TrialState.Failed, FailureKind.Diverged), View(TrialState.Completed, null) };

        var marks = HeatmapCells.TrialMarks(trials);

        Assert.Equal([HeatmapCells.RanOutOfMemory, TrialState.Failed, TrialState.Completed], trials.Select(t => marks[t.Id]));
    }
}

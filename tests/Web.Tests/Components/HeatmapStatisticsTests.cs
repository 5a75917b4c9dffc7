using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;

namespace Sweep.Web.Tests.Components;

/// <summary>
/// What the heatmap says about seed noise and guards: the hover's n, std, 95 % CI and difference to the baseline, the
/// marks over within-noise and flagged cells, and the title that names averaged axes.
/// </summary>
public sealed class HeatmapStatisticsTests
{
    private static TrialResult Result(int batch, int seed, double accuracy, LrScaling rule = LrScaling.Sqrt, Dictionary<string, double>? extra = null)
    {
        var metrics = new Dictionary<string, double> { [MetricNames.ValAccuracy] = accuracy };
        foreach (var (key, value) in extra ?? [])
        {
            metrics[key] = value;
        }

        return new TrialResult(new TrialCell(batch, 128, 1, seed, rule, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential), TrialState.Completed, metrics)
        {
            Id = Guid.NewGuid(),
        };
    }

    private static readonly Dictionary<string, double> FewUpdates = new() { [MetricNames.Steps] = 12, [MetricNames.RunningStatsInitialWeight] = 0.282 };

    /// <summary>
    /// Three seeds per cell against the (128, 128, ×1) baseline at 0.90/0.91/0.92: B = 1024 differs by
    /// −0.005/+0.02/−0.005 (within seed noise), B = 4096 by 0.10/0.095/0.10 (beyond it), and its seed 3 made 12 updates.
    /// </summary>
    private static Heatmap Map() => HeatmapProjector.Project(
        [
            Result(128, 1, 0.90), Result(128, 2, 0.91), Result(128, 3, 0.92),
            Result(1024, 1, 0.905), Result(1024, 2, 0.89), Result(1024, 3, 0.925),
            Result(4096, 1, 0.80), Result(4096, 2, 0.815), Result(4096, 3, 0.82, extra: FewUpdates),
        ],
        new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>())
        {
            Baseline = new BaselineCell(128, 128, 1),
        });

    private static string Hover(Heatmap map, int y, int x) => (string)((IList<object>)HeatmapTraceBuilder.HoverTexts(map)[y])[x];

    [Fact]
    public void The_hover_gives_n_std_the_interval_and_the_paired_difference_to_the_baseline()
    {
        var map = Map();

        var baseline = Hover(map, 0, 0);
        Assert.StartsWith("0.9100 ± 0.0100 (n = 3)<br>95 % CI [0.8852, 0.9348]", baseline);
        Assert.DoesNotContain("baseline − cell", baseline);

        var near = Hover(map, 0, 1);
        Assert.Contains("(n = 3)", near);
        Assert.Contains("95 % CI [", near);
        Assert.Contains("baseline − cell: 0.0033, 95 % CI [", near);
        Assert.Contains("(paired by seed, n = 3) · within seed noise", near);

        var far = Hover(map, 0, 2);
        Assert.Contains("baseline − cell: 0.0983", far);
        Assert.Contains("beyond seed noise", far);
        Assert.Contains("⚠ fewer than 100 optimizer updates", far);
        Assert.Contains("⚠ initial running statistics hold more than 1 % of their weight", far);
    }

    [Fact]
    public void A_cell_within_seed_noise_and_a_flagged_cell_are_marked_on_the_chart()
    {
        var map = Map();
        var marks = HeatmapTraceBuilder.Marks(map);

        Assert.Equal(2, marks.Count);
        var noise = marks.Single(m => m.Name == HeatmapTraceBuilder.WithinNoiseName);
        Assert.Equal(["1024"], noise.X.Cast<string>());
        Assert.Equal(["128"], noise.Y.Cast<string>());
        Assert.Equal(["●"], noise.TextArray);
        Assert.Equal(Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle, noise.Marker.Symbol);
        Assert.Contains("within seed noise", Assert.Single(noise.HoverTextArray));

        var flagged = marks.Single(m => m.Name == HeatmapTraceBuilder.FlaggedName);
        Assert.Equal(["4096"], flagged.X.Cast<string>());
        Assert.Equal(["⚠"], flagged.TextArray);

        // A click on a mark opens the cell's trial, as a click on the cell beneath does.
        Assert.Equal(map.Trials[0][2][0].ToString(), Assert.Single(flagged.CustomData));
        Assert.Equal(Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.TriangleUp, flagged.Marker.Symbol);
    }

    [Fact]
    public void A_map_without_differences_or_flags_has_no_marks()
    {
        var map = HeatmapProjector.Project(
            [Result(128, 1, 0.90), Result(1024, 1, 0.85)],
            new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()) { Baseline = new BaselineCell(128, 128, 1) });

        Assert.Empty(HeatmapTraceBuilder.Marks(map));
    }

    [Fact]
    public void The_rendered_chart_draws_the_marks_over_the_heatmap()
    {
        using var context = ChartContext.Interactive();

        var cut = context.Render<HeatmapChart>(p => p.Add(c => c.Map, Map()).Add(c => c.Metric, MetricNames.ValAccuracy));

        var data = cut.FindComponent<PlotlyChart>().Instance.Data;
        Assert.IsType<HeatMap>(data[0]);
        Assert.Equal([HeatmapTraceBuilder.FlaggedName, HeatmapTraceBuilder.WithinNoiseName], data.Skip(1).Cast<Scatter>().Select(s => s.Name));
        var container = cut.Find("#heatmap-container");
        Assert.Equal("1", container.GetAttribute("data-within-noise"));
        Assert.Equal("1", container.GetAttribute("data-flagged"));
        Assert.Empty(cut.FindAll("#heatmap-averaged"));
    }

    [Fact]
    public void An_averaged_axis_is_named_in_the_charts_title()
    {
        using var context = ChartContext.Interactive();
        var map = HeatmapProjector.Project(
            [Result(128, 1, 0.90, LrScaling.None), Result(128, 1, 0.91, LrScaling.Sqrt)],
            new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()));

        var cut = context.Render<HeatmapChart>(p => p.Add(c => c.Map, map));

        Assert.Equal("averaged over lrScaling ∈ {none, sqrt}", cut.Find("#heatmap-averaged").TextContent);
        Assert.Equal("averaged over lrScaling ∈ {none, sqrt}", cut.FindComponent<PlotlyChart>().Instance.Layout.Title.Text);
    }

    [Fact]
    public void A_guard_badge_says_the_number_and_the_threshold()
    {
        Assert.Equal("initial running statistics hold 28 % (> 1 %)", GuardText.Detail(GuardFlags.RunningStats, FewUpdates));
        Assert.Equal("12 optimizer updates (< 100)", GuardText.Detail(GuardFlags.FewUpdates, FewUpdates));
        Assert.Equal("initial running statistics hold 1.4 % (> 1 %)",
            GuardText.Detail(GuardFlags.RunningStats, new Dictionary<string, double> { [MetricNames.RunningStatsInitialWeight] = 0.014 }));

        using var context = new BunitContext();
        var cut = context.Render<GuardBadges>(p => p.Add(c => c.Flags, Guards.ForTrial(FewUpdates)).Add(c => c.Metrics, FewUpdates));
        var badges = cut.FindAll(".badge.guard");
        Assert.Equal(["⚠ running stats", "⚠ few updates"], badges.Select(b => b.TextContent));
        Assert.Equal("initial running statistics hold 28 % (> 1 %)", badges[0].GetAttribute("title"));
    }
}

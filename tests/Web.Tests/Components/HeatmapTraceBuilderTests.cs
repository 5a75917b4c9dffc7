using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;

namespace Sweep.Web.Tests.Components;

/// <summary>How a projected heatmap becomes Plotly's trace: rows follow y, labels come from the map, gaps stay null.</summary>
public sealed class HeatmapTraceBuilderTests
{
    private static TrialResult Result(int batch, LrScaling rule, double? accuracy, string state = TrialState.Completed) => new(
        new TrialCell(batch, 128, 1, 1, rule, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential),
        state,
        accuracy is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>());

    /// <summary>x = batch size (128, 1024, 4096), y = LR rule (none, sqrt); (1024, none) and (4096, sqrt) have no result.</summary>
    private static Heatmap Map() => HeatmapProjector.Project(
        [
            Result(4096, LrScaling.None, 0.80),
            Result(128, LrScaling.Sqrt, 0.91),
            Result(128, LrScaling.None, 0.90),
            Result(1024, LrScaling.Sqrt, 0.85),
            Result(1024, LrScaling.None, null, TrialState.Running),
            Result(4096, LrScaling.Sqrt, null, TrialState.Failed),
        ],
        new HeatmapQuery(GridAxis.BatchSize, GridAxis.LrScaling, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()));

    private static List<List<object?>> Rows(HeatMap trace) =>
        trace.Z.Cast<IEnumerable<object?>>().Select(row => row.ToList()).ToList();

    [Fact]
    public void Labels_come_from_the_maps_x_and_y_labels()
    {
        var map = Map();

        var trace = HeatmapTraceBuilder.Trace(map, MetricNames.ValAccuracy)!;

        Assert.Equal(["128", "1024", "4096"], trace.X.Cast<string>());
        Assert.Equal(["none", "sqrt"], trace.Y.Cast<string>());
        Assert.Equal(map.XLabels, trace.X.Cast<string>());
        Assert.Equal(map.YLabels, trace.Y.Cast<string>());
        Assert.Equal(MetricNames.ValAccuracy, trace.Name);
    }

    [Theory]
    [InlineData(MetricNames.ValAccuracy, ".1%")]
    [InlineData(MetricNames.GapToBaseline, "+.1%")]
    [InlineData(MetricNames.WeightDistance, null)]
    public void The_colour_bar_shows_fractions_in_percent_as_the_tables_do(string metric, string? format)
    {
        var trace = HeatmapTraceBuilder.Trace(Map(), metric)!;

        Assert.Equal(format, trace.ColorBar.TickFormat);
        Assert.Equal(MetricLabels.For(metric), trace.ColorBar.Title.Text);
    }

    [Fact]
    public void Z_has_one_row_per_y_value_in_ys_order()
    {
        var trace = HeatmapTraceBuilder.Trace(Map(), MetricNames.ValAccuracy)!;

        var rows = Rows(trace);
        Assert.Equal(2, rows.Count);
        Assert.Equal([0.90, null, 0.80], rows[0]);   // none
        Assert.Equal([0.91, 0.85, null], rows[1]);   // sqrt
        Assert.All(rows, row => Assert.Equal(trace.X.Count, row.Count));
    }

    [Fact]
    public void Cells_without_a_result_stay_null()
    {
        var map = new Heatmap(
            [1, 2],
            [10, 20, 30],
            [[null, 0.5], [0.25, null], [null, null]],
            [[0, 1], [1, 0], [0, 0]],
            [[null, null], [null, null], [null, null]])
        {
            XLabels = ["a", "b"],
            YLabels = ["p", "q", "r"],
        };

        var rows = Rows(HeatmapTraceBuilder.Trace(map, "m")!);

        Assert.Equal([null, 0.5], rows[0]);
        Assert.Equal([0.25, null], rows[1]);
        Assert.Equal([null, null], rows[2]);
        Assert.Equal(["p", "q", "r"], HeatmapTraceBuilder.Trace(map, "m")!.Y.Cast<string>());
    }

    [Fact]
    public void Hover_shows_mean_and_std_over_seeds_and_names_trials_without_a_result()
    {
        TrialResult[] trials =
        [
            new(new TrialCell(128, 32, 1, 1, LrScaling.Sqrt, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.8 }),
            new(new TrialCell(128, 32, 1, 2, LrScaling.Sqrt, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential), TrialState.Completed, new Dictionary<string, double> { [MetricNames.ValAccuracy] = 0.9 }),
            new(new TrialCell(128, 32, 1, 3, LrScaling.Sqrt, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential), TrialState.Failed, new Dictionary<string, double>()),
        ];
        var map = HeatmapProjector.Project(trials, new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, MetricNames.ValAccuracy, new Dictionary<GridAxis, double>()));

        var text = (string)((IList<object>)HeatmapTraceBuilder.HoverTexts(map)[0])[0];

        // Two values now also give their 95 % interval (this task added it to the hover), before the note.
        Assert.StartsWith("0.8500 ± 0.0707 (n = 2)<br>95 % CI [", text);
        Assert.EndsWith("<br>1 failed", text);
    }

    [Theory]
    [InlineData(MetricNames.GapToBaseline, "RdBu")]
    [InlineData(MetricNames.GeneralizationGap, "RdBu")]
    [InlineData(MetricNames.ValAccuracy, "Viridis")]
    public void Gap_metrics_use_a_diverging_scale_centred_at_zero(string metric, string scale)
    {
        var trace = HeatmapTraceBuilder.Trace(Map(), metric)!;

        Assert.Equal(scale, trace.ColorScale);
        if (metric == MetricNames.ValAccuracy)
        {
            Assert.Null(trace.ZMid);
        }
        else
        {
            Assert.Equal(0m, Convert.ToDecimal(trace.ZMid, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Nothing_is_plotted_without_results()
    {
        Assert.Null(HeatmapTraceBuilder.Trace(null, "m"));
        Assert.Null(HeatmapTraceBuilder.Trace(new Heatmap([], [], [], [], []), "m"));
    }

    [Fact]
    public void Both_axes_are_categories_titled_by_the_axis_names()
    {
        var layout = HeatmapTraceBuilder.Layout("batchSize", "lrScaling");

        Assert.Equal("batchSize", layout.XAxis[0].Title.Text);
        Assert.Equal("lrScaling", layout.YAxis[0].Title.Text);
        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, layout.XAxis[0].Type);
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category, layout.YAxis[0].Type);
    }

    [Fact]
    public void The_chart_hands_the_builders_trace_to_plotly()
    {
        using var context = ChartContext.Interactive();

        var cut = context.Render<HeatmapChart>(p => p
            .Add(c => c.Map, Map())
            .Add(c => c.Metric, MetricNames.ValAccuracy)
            .Add(c => c.XLabel, "batchSize")
            .Add(c => c.YLabel, "lrScaling"));

        var chart = cut.FindComponent<PlotlyChart>().Instance;
        var trace = Assert.IsType<HeatMap>(Assert.Single(chart.Data));
        Assert.Equal(["none", "sqrt"], trace.Y.Cast<string>());
        Assert.Equal([0.91, 0.85, null], Rows(trace)[1]);
        Assert.Equal("lrScaling", chart.Layout.YAxis[0].Title.Text);
        Assert.Equal("4", cut.Find("#heatmap-container").GetAttribute("data-cells"));
        Assert.Empty(cut.FindAll(".heatmap .hint"));
    }

    [Fact]
    public void The_chart_says_so_when_there_is_nothing_to_plot()
    {
        using var context = ChartContext.Interactive();

        var cut = context.Render<HeatmapChart>(p => p.Add(c => c.Map, null));

        Assert.Empty(cut.FindComponent<PlotlyChart>().Instance.Data);
        Assert.Contains("No results", cut.Find(".heatmap .hint").TextContent);
    }
}

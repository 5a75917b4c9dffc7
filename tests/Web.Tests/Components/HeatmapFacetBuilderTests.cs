using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;

namespace Sweep.Web.Tests.Components;

/// <summary>How facets become Plotly subplots: a trace per panel on its own axes, one colour range, titled panels, clickable cells.</summary>
public sealed class HeatmapFacetBuilderTests
{
    private static readonly Guid Small1 = Guid.NewGuid();
    private static readonly Guid Large1 = Guid.NewGuid();
    private static readonly Guid Small2 = Guid.NewGuid();

    private static TrialResult Result(Guid id, int batch, double regime, double? accuracy, string state = TrialState.Completed) =>
        new(new TrialCell(batch, 128, regime, 1, LrScaling.Sqrt, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential),
            state,
            accuracy is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>())
        {
            Id = id,
        };

    /// <summary>Regime 1: (128) 0.90, (1024) 0.80; regime 2: (128) 0.95, (1024) running.</summary>
    private static FacetedHeatmap Faceted(string metric = MetricNames.ValAccuracy) => HeatmapProjector.ProjectFacets(
        [
            Result(Small1, 128, 1, 0.90), Result(Large1, 1024, 1, 0.80),
            Result(Small2, 128, 2, 0.95), Result(Guid.NewGuid(), 1024, 2, null, TrialState.Running),
        ],
        new HeatmapQuery(GridAxis.BatchSize, GridAxis.GhostBatchSize, metric, new Dictionary<GridAxis, double>()) { Baseline = new BaselineCell(128, 128, 1) },
        GridAxis.RegimeMultiplier);

    private static List<object?> Row(HeatMap trace, int y = 0) => ((IEnumerable<object?>)trace.Z[y]!).ToList();

    [Fact]
    public void Each_panel_is_a_trace_on_its_own_axes_sharing_one_range_and_one_colour_bar()
    {
        var traces = HeatmapFacetBuilder.Traces(Faceted(), MetricNames.ValAccuracy).Cast<HeatMap>().ToList();

        Assert.Equal(2, traces.Count);
        Assert.Equal(["x", "x2"], traces.Select(t => t.XAxis));
        Assert.Equal(["y", "y2"], traces.Select(t => t.YAxis));
        Assert.Equal(["regime multiplier r = 1", "regime multiplier r = 2"], traces.Select(t => t.Name));
        Assert.All(traces, t => Assert.Equal(0.80m, t.ZMin));
        Assert.All(traces, t => Assert.Equal(0.95m, t.ZMax));
        Assert.All(traces, t => Assert.Equal("Viridis", t.ColorScale));
        Assert.Equal([true, false], traces.Select(t => t.ShowScale));
        Assert.Equal([0.90, 0.80], Row(traces[0]));
        Assert.Equal([0.95, null], Row(traces[1]));
        Assert.Equal(["128", "1024"], traces[1].X.Cast<string>());
    }

    [Fact]
    public void Gap_panels_share_a_range_symmetric_around_zero()
    {
        // Against the (128, 128, ×1) baseline at 0.90: regime 1 gives 0 and 0.10, regime 2 gives −0.05.
        var faceted = Faceted(MetricNames.GapToBaseline);

        var (min, max) = HeatmapFacetBuilder.ColourRange(faceted, MetricNames.GapToBaseline);
        var traces = HeatmapFacetBuilder.Traces(faceted, MetricNames.GapToBaseline).Cast<HeatMap>().ToList();

        Assert.Equal(-0.1m, Math.Round(min!.Value, 10));
        Assert.Equal(0.1m, Math.Round(max!.Value, 10));
        Assert.All(traces, t => Assert.Equal("RdBu", t.ColorScale));
        Assert.All(traces, t => Assert.Equal(min, t.ZMin));
        Assert.Equal((null, null), HeatmapFacetBuilder.ColourRange(new FacetedHeatmap("seed", [], null, null), MetricNames.ValAccuracy));
    }

    [Fact]
    public void Cells_carry_the_trial_a_click_opens()
    {
        var traces = HeatmapFacetBuilder.Traces(Faceted(), MetricNames.ValAccuracy).Cast<HeatMap>().ToList();

        Assert.Equal([Small1.ToString(), Large1.ToString()], ((IEnumerable<object>)traces[0].CustomData[0]).Cast<string>());
        Assert.Equal(Small2.ToString(), ((IEnumerable<object>)traces[1].CustomData[0]).First());
        var empty = HeatmapTraceBuilder.TrialLinks(new Heatmap([1], [1], [[null]], [[0]], [[null]]) { Trials = [[[]]] });
        Assert.Equal("", ((IEnumerable<object>)empty[0]).Single());
    }

    [Fact]
    public void The_layout_is_a_grid_of_titled_panels_with_shared_axis_titles_once()
    {
        var two = HeatmapFacetBuilder.Layout("batchSize", "ghostBatchSize", Faceted());
        var fourPanels = new FacetedHeatmap("seed", Enumerable.Range(1, 4).Select(i => new HeatmapFacet(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture), Faceted().Panels[0].Map)).ToList(), 0, 1);
        var four = HeatmapFacetBuilder.Layout("batchSize", "ghostBatchSize", fourPanels);

        Assert.Equal((1, 2), (two.Grid.Rows, two.Grid.Columns));
        Assert.Equal(Plotly.Blazor.LayoutLib.GridLib.PatternEnum.Independent, two.Grid.Pattern);
        Assert.Equal(["regime multiplier r = 1", "regime multiplier r = 2"], two.Annotations.Select(a => a.Text));
        Assert.Equal(["x domain", "x2 domain"], two.Annotations.Select(a => a.XRef));
        Assert.Equal(["ghostBatchSize", null], two.YAxis.Select(a => a.Title.Text));
        Assert.All(two.XAxis, a => Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, a.Type));

        Assert.Equal((2, 3), (four.Grid.Rows, four.Grid.Columns));
        Assert.Equal(["ghostBatchSize", null, null, "ghostBatchSize"], four.YAxis.Select(a => a.Title.Text));
        Assert.Equal([null, "batchSize", "batchSize", "batchSize"], four.XAxis.Select(a => a.Title.Text));
        Assert.True(four.Height > two.Height);
    }

    [Fact]
    public void The_chart_draws_facets_as_one_figure_and_attaches_the_click_handler()
    {
        using var context = ChartContext.Interactive();
        var clicks = context.JSInterop.SetupModule("./heatmap-click.js");
        clicks.SetupVoid("attach", "heatmap").SetVoidResult();

        var cut = context.Render<HeatmapChart>(p => p
            .Add(c => c.Facets, Faceted())
            .Add(c => c.Metric, MetricNames.ValAccuracy)
            .Add(c => c.XLabel, "batchSize")
            .Add(c => c.YLabel, "ghostBatchSize"));

        var chart = cut.FindComponent<PlotlyChart>().Instance;
        Assert.Equal(["x", "x2"], chart.Data.Cast<HeatMap>().Select(t => t.XAxis));
        Assert.Equal(2, chart.Layout.Grid.Columns);
        Assert.Equal("2", cut.Find("#heatmap-container").GetAttribute("data-panels"));
        Assert.Equal("3", cut.Find("#heatmap-container").GetAttribute("data-cells"));
        Assert.Empty(cut.FindAll(".heatmap .hint"));
        clicks.VerifyInvoke("attach");
    }
}

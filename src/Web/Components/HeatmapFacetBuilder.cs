using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// Small multiples in one Plotly figure: panel i is a heatmap trace on axes x{i}/y{i} of an independent grid, all
/// with the same zmin/zmax so that one colour means one value everywhere, and one colour bar (the first panel's).
/// One figure keeps one chart div, so live redraws and the click handler work as for a single heatmap.
/// </summary>
public static class HeatmapFacetBuilder
{
    /// <summary>Panels per row; more would squeeze the cells of a typical 4–6 value axis.</summary>
    public const int MaxColumns = 3;

    private const int PanelHeight = 300;

    public static IList<ITrace> Traces(FacetedHeatmap faceted, string metric)
    {
        var (zmin, zmax) = ColourRange(faceted, metric);
        var traces = new List<ITrace>();
        for (var i = 0; i < faceted.Panels.Count; i++)
        {
            if (HeatmapTraceBuilder.Trace(faceted.Panels[i].Map, metric) is not { } trace)
            {
                continue;
            }

            trace.XAxis = AxisId("x", i);
            trace.YAxis = AxisId("y", i);
            trace.Name = $"{FacetName(faceted)} = {faceted.Panels[i].Label}";
            trace.ZMin = zmin;
            trace.ZMax = zmax;
            trace.ZMid = null;
            trace.ShowScale = traces.Count == 0;
            traces.Add(trace);
        }

        return traces;
    }

    /// <summary>
    /// The within-noise and guard marks of every panel (<see cref="HeatmapTraceBuilder.Marks"/>) on that panel's axes;
    /// each kind of mark has one legend entry, on the first panel that has it.
    /// </summary>
    public static IList<ITrace> Marks(FacetedHeatmap faceted)
    {
        var marks = new List<ITrace>();
        var named = new HashSet<string>();
        for (var i = 0; i < faceted.Panels.Count; i++)
        {
            foreach (var mark in HeatmapTraceBuilder.Marks(faceted.Panels[i].Map))
            {
                mark.XAxis = AxisId("x", i);
                mark.YAxis = AxisId("y", i);
                mark.ShowLegend = named.Add(mark.Name);
                marks.Add(mark);
            }
        }

        return marks;
    }

    /// <summary>
    /// Every panel's cell labels and missing-state glyphs (<see cref="HeatmapAnnotations"/>) on that panel's axes, with
    /// the shared colour range, so that the text colour follows the colour each cell is drawn in.
    /// </summary>
    public static IReadOnlyList<Annotation> CellAnnotations(FacetedHeatmap faceted, string metric, IReadOnlyDictionary<Guid, string> stateOf) =>
        faceted.Panels.SelectMany((panel, i) => HeatmapAnnotations.For(panel.Map, metric, stateOf, AxisId("x", i), AxisId("y", i), faceted.ZMin, faceted.ZMax)).ToList();

    /// <summary>
    /// The shared range: every panel's finite values; for gaps symmetric around 0, so that the diverging scale's
    /// middle colour is "no gap" in every panel. Null (Plotly picks) when nothing has a value yet.
    /// </summary>
    public static (decimal? Min, decimal? Max) ColourRange(FacetedHeatmap faceted, string metric)
    {
        if (faceted.ZMin is not { } min || faceted.ZMax is not { } max)
        {
            return (null, null);
        }

        if (MetricNames.IsGap(metric))
        {
            var extent = Math.Max(Math.Abs(min), Math.Abs(max));
            return ((decimal)-extent, (decimal)extent);
        }

        return ((decimal)min, (decimal)max);
    }

    public static Plotly.Blazor.Layout Layout(string xLabel, string yLabel, FacetedHeatmap faceted)
    {
        var count = Math.Max(1, faceted.Panels.Count);
        var columns = Math.Min(count, MaxColumns);
        var rows = (count + columns - 1) / columns;
        var xAxes = new List<XAxis>();
        var yAxes = new List<YAxis>();
        var titles = new List<Annotation>();
        for (var i = 0; i < count; i++)
        {
            // Axis titles once per row and column: the panels share them.
            var bottomRow = i + columns >= count;
            xAxes.Add(new XAxis
            {
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = bottomRow ? xLabel : null },
                Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category,
            });
            yAxes.Add(new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = i % columns == 0 ? yLabel : null },
                Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category,
            });
            if (i < faceted.Panels.Count)
            {
                titles.Add(new Annotation
                {
                    Text = $"{FacetName(faceted)} = {faceted.Panels[i].Label}",
                    XRef = AxisId("x", i) + " domain",
                    YRef = AxisId("y", i) + " domain",
                    X = 0.5,
                    Y = 1.0,
                    XAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.XAnchorEnum.Center,
                    YAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.YAnchorEnum.Bottom,
                    ShowArrow = false,
                });
            }
        }

        return new Plotly.Blazor.Layout
        {
            Height = 80 + rows * PanelHeight,
            Margin = new Margin { L = 80, R = 20, T = 30, B = 90 },
            Legend = [HeatmapTraceBuilder.MarksLegend],
            Grid = new Grid { Rows = rows, Columns = columns, Pattern = Plotly.Blazor.LayoutLib.GridLib.PatternEnum.Independent, XGap = 0.12m, YGap = 0.25m },
            XAxis = xAxes,
            YAxis = yAxes,
            Annotations = titles,
        };
    }

    /// <summary>Plotly's axis ids: x, x2, x3, … (the first has no number).</summary>
    public static string AxisId(string letter, int index) =>
        index == 0 ? letter : letter + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The facet axis as pages name it ("batch size B"), not its API key.</summary>
    private static string FacetName(FacetedHeatmap faceted) =>
        GridAxes.TryParse(faceted.Facet, out var axis) ? axis.DisplayName() : faceted.Facet;
}

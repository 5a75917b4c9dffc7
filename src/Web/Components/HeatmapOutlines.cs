using Plotly.Blazor.LayoutLib;
using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// A red outline around every heatmap cell that lost a trial to lack of memory, so that the memory frontier over
/// (B, G) shows at a glance, including cells whose other seeds still give a value. Layout shapes rather than traces,
/// like the annotations: they take no hover or click from the cells.
/// </summary>
public static class HeatmapOutlines
{
    public const string Colour = "#d62728";

    /// <summary>One rectangle per out-of-memory cell of <paramref name="map"/> on axes <paramref name="xAxis"/>/<paramref name="yAxis"/>.</summary>
    public static IReadOnlyList<Shape> OutOfMemory(Heatmap? map, IReadOnlyDictionary<Guid, string> stateOf, string xAxis = "x", string yAxis = "y")
    {
        if (map is null)
        {
            return [];
        }

        var shapes = new List<Shape>();
        for (var r = 0; r < map.Z.Count; r++)
        {
            for (var c = 0; c < map.Z[r].Count; c++)
            {
                if (HeatmapCells.OutOfMemoryAt(map, r, c, stateOf))
                {
                    shapes.Add(Cell(r, c, xAxis, yAxis));
                }
            }
        }

        return shapes;
    }

    /// <summary>Every panel's outlines on that panel's axes.</summary>
    public static IReadOnlyList<Shape> OutOfMemory(FacetedHeatmap faceted, IReadOnlyDictionary<Guid, string> stateOf) =>
        faceted.Panels.SelectMany((panel, i) => OutOfMemory(panel.Map, stateOf, HeatmapFacetBuilder.AxisId("x", i), HeatmapFacetBuilder.AxisId("y", i))).ToList();

    // On a category axis a shape is placed by the category's index, as the annotations are: cell (r, c) spans
    // c ± 0.5 by r ± 0.5. Drawn inset a little so that neighbouring outlines stay apart.
    private static Shape Cell(int r, int c, string xAxis, string yAxis) => new()
    {
        Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect,
        XRef = xAxis,
        YRef = yAxis,
        X0 = c - 0.46,
        X1 = c + 0.46,
        Y0 = r - 0.46,
        Y1 = r + 0.46,
        Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = Colour, Width = 3 },
        Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Above,
    };
}

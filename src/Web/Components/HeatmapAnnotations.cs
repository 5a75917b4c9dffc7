using Plotly.Blazor.LayoutLib;
using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// Text drawn on every heatmap cell, so that the chart reads without the colour bar: the value in the tables' unit with
/// its n ("83.5 %&lt;br&gt;n=3"), or a missing state's glyph and word ("✕ failed"). Layout annotations rather than
/// traces: they take no hover or click from the cells, and the figure's data stays the heatmap and its marks.
/// </summary>
public static class HeatmapAnnotations
{
    /// <summary>Values on cells darker than this fraction of the colour range are written in white, the rest in black.</summary>
    private const double DarkBelow = 0.55;

    /// <summary>
    /// One annotation per cell of <paramref name="map"/> on axes <paramref name="xAxis"/>/<paramref name="yAxis"/>.
    /// The colour range (<paramref name="zMin"/>, <paramref name="zMax"/>: the panels' shared one, or this map's)
    /// picks a text colour that contrasts with the cell's colour.
    /// </summary>
    public static IReadOnlyList<Annotation> For(Heatmap? map, string metric, IReadOnlyDictionary<Guid, string> stateOf,
        string xAxis = "x", string yAxis = "y", double? zMin = null, double? zMax = null)
    {
        if (map is null || map.X.Count == 0)
        {
            return [];
        }

        var finite = map.Z.SelectMany(row => row).OfType<double>().Where(double.IsFinite).ToList();
        var min = zMin ?? (finite.Count > 0 ? finite.Min() : 0);
        var max = zMax ?? (finite.Count > 0 ? finite.Max() : 1);
        if (MetricNames.IsGap(metric))
        {
            var extent = Math.Max(Math.Abs(min), Math.Abs(max));
            (min, max) = (-extent, extent);
        }

        var annotations = new List<Annotation>();
        for (var r = 0; r < map.Z.Count; r++)
        {
            for (var c = 0; c < map.Z[r].Count; c++)
            {
                var state = HeatmapCells.StateAt(map, r, c, stateOf);
                string text, colour;
                if (state == HeatmapCellState.Value)
                {
                    var (value, seeds) = HeatmapCells.ValueLabel(map, r, c, metric);
                    text = value + "<br>" + seeds;
                    colour = TextColour(map.Z[r][c]!.Value, min, max, MetricNames.IsGap(metric));
                }
                else
                {
                    text = HeatmapCells.Mark(state);
                    colour = "#333333";
                }

                // On a category axis an annotation is placed by the category's index: a label such as "128" would be
                // read as the position 128, far off the cells, and autorange would stretch the axis to reach it.
                annotations.Add(new Annotation
                {
                    Text = text,
                    X = c,
                    Y = r,
                    XRef = xAxis,
                    YRef = yAxis,
                    ShowArrow = false,
                    YShift = Marked(map, r, c) ? MarkedShift : 0,
                    Font = new Plotly.Blazor.LayoutLib.AnnotationLib.Font { Color = colour, Size = 12 },
                });
            }
        }

        return annotations;
    }

    /// <summary>Pixels a label moves up on a cell that also carries a mark (⚠ or ●, drawn at the centre), so that both read.</summary>
    public const int MarkedShift = 24;

    /// <summary>True when <see cref="HeatmapTraceBuilder.Marks"/> draws on the cell: a guard flag, or within seed noise.</summary>
    private static bool Marked(Heatmap map, int y, int x) =>
        (map.Flags.Count > y && map.Flags[y].Count > x && map.Flags[y][x].Count > 0)
        || (map.WithinNoise.Count > y && map.WithinNoise[y].Count > x && map.WithinNoise[y][x] == true);

    /// <summary>
    /// White on dark cells, black on light ones. Viridis runs from dark (low) to light (high); the reversed diverging
    /// scale of the gaps is dark at both ends and light around 0.
    /// </summary>
    public static string TextColour(double value, double min, double max, bool diverging)
    {
        var t = max > min ? Math.Clamp((value - min) / (max - min), 0, 1) : 0.5;
        var dark = diverging ? Math.Abs(t - 0.5) > 0.3 : t < DarkBelow;
        return dark ? "#ffffff" : "#000000";
    }
}

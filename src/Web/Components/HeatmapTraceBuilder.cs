using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;

namespace Sweep.Web.Components;

/// <summary>
/// Maps a projected <see cref="Heatmap"/> onto Plotly's heatmap trace and layout: x and y are the axes' labels (both
/// category axes, so that 128 and 4096 sit side by side), z holds one row per y value in <see cref="Heatmap.Y"/>'s
/// order, and cells without a result stay null so that Plotly leaves a gap.
/// </summary>
public static class HeatmapTraceBuilder
{
    /// <summary>The trace, or null when there is nothing to plot.</summary>
    public static HeatMap? Trace(Heatmap? map, string metric)
    {
        if (map is null || map.X.Count == 0)
        {
            return null;
        }

        return new HeatMap
        {
            X = Labels(map.XLabels, map.X),
            Y = Labels(map.YLabels, map.Y),
            Z = map.Z.Select(row => (object)row.Select(v => (object?)v).ToList()).ToList(),
            Text = HoverTexts(map),
            CustomData = TrialLinks(map),
            HoverTemplate = "%{x} × %{y}<br>%{text}<extra></extra>",

            // Viridis reads for colour-blind users; signed gaps diverge around 0 (red: worse than the baseline).
            ColorScale = MetricNames.IsGap(metric) ? "RdBu" : "Viridis",
            ZMid = MetricNames.IsGap(metric) ? 0 : null,
            ReverseScale = MetricNames.IsGap(metric),
            HoverOnGaps = true,
            Name = metric,
            ColorBar = new Plotly.Blazor.Traces.HeatMapLib.ColorBar
            {
                Title = new Plotly.Blazor.Traces.HeatMapLib.ColorBarLib.Title { Text = MetricLabels.For(metric) },

                // Fractions read as the tables do ("65.6%", a gap "+2.0%" of accuracy), not as 0.656 under a "(%)" title.
                TickFormat = !MetricLabels.IsFraction(metric) ? null : MetricNames.IsGap(metric) ? "+.1%" : ".1%",
            },
        };
    }

    /// <summary>
    /// Per cell [y][x]: the id of the trial a click opens (the first with a value, see <see cref="Heatmap.Trials"/>),
    /// or "" for a cell without trials. wwwroot/heatmap-click.js reads it from the clicked point.
    /// </summary>
    public static IList<object> TrialLinks(Heatmap map) =>
        map.Z.Select((row, y) => (object)row.Select((_, x) => (object)FirstTrial(map, y, x)).ToList()).ToList();

    private static string FirstTrial(Heatmap map, int y, int x)
    {
        var id = map.Trials.Count > y ? map.Trials[y][x].FirstOrDefault(i => i != Guid.Empty) : Guid.Empty;
        return id == Guid.Empty ? "" : id.ToString();
    }

    /// <summary>
    /// Per cell: the mean ± std over seeds and how many there are, the 95 % interval of the mean, the difference to the
    /// baseline with its interval (paired by seed or not) and whether it is within seed noise, the guard flags in
    /// words, and the trials without a result.
    /// </summary>
    public static IList<object> HoverTexts(Heatmap map) =>
        map.Z.Select((row, y) => (object)row.Select((value, x) =>
        {
            var n = map.Count.Count > y ? map.Count[y][x] : 0;
            var std = map.Std.Count > y ? map.Std[y][x] : null;
            var trials = map.Trials.Count > y ? map.Trials[y][x].Count : -1;
            var lines = new List<string>
            {
                value is { } v
                    ? std is { } s ? $"{v:0.0000} ± {s:0.0000} (n = {n})" : $"{v:0.0000} (n = {n})"
                    : trials == 0 ? "no trial" : "no result",
            };
            if (At(map.Ci95, y, x) is { } ci)
            {
                lines.Add($"95 % CI {Range(ci)}");
            }

            if (At(map.ToBaseline, y, x) is { } difference)
            {
                lines.Add(DifferenceLine(difference));
            }

            lines.AddRange(FlagsAt(map, y, x).Select(f => "⚠ " + GuardText.Sentence(f)));
            if (At(map.Notes, y, x) is { } note)
            {
                lines.Add(note);
            }

            return (object)string.Join("<br>", lines);
        }).ToList()).ToList();

    /// <summary>"baseline − cell: 0.0120, 95 % CI [−0.0040, 0.0280] (paired, n = 3) · within seed noise".</summary>
    public static string DifferenceLine(Difference difference)
    {
        var ci = difference.Ci95 is { } interval ? $", 95 % CI {Range(interval)}" : "";
        var how = difference.Paired ? $"paired by seed, n = {difference.N}" : $"unpaired (Welch), n = {difference.N}";
        var noise = difference.WithinNoise switch
        {
            true => " · within seed noise",
            false => " · beyond seed noise",
            null => "",
        };
        return $"baseline − cell: {difference.Mean:0.0000}{ci} ({how}){noise}";
    }

    /// <summary>
    /// Marks drawn over the cells, so that what the hover says is visible without hovering: a white dot ("●") on a
    /// cell whose difference to the baseline is within seed noise, an amber triangle ("⚠") on a cell with guard flags.
    /// One marker trace each (empty ones are left out; the text array names the mark); <paramref name="showLegend"/> is false for the second and later panels of small multiples.
    /// </summary>
    public static IReadOnlyList<Scatter> Marks(Heatmap? map, bool showLegend = true)
    {
        if (map is null || map.X.Count == 0)
        {
            return [];
        }

        var x = Labels(map.XLabels, map.X);
        var y = Labels(map.YLabels, map.Y);
        var noise = Cells(map, (r, c) => At(map.WithinNoise, r, c) == true).ToList();
        var flagged = Cells(map, (r, c) => FlagsAt(map, r, c).Count > 0).ToList();
        var marks = new List<Scatter>();
        if (flagged.Count > 0)
        {
            marks.Add(MarkTrace(FlaggedName, "⚠", flagged, x, y, map, showLegend));
        }

        if (noise.Count > 0)
        {
            marks.Add(MarkTrace(WithinNoiseName, "●", noise, x, y, map, showLegend));
        }

        return marks;
    }

    /// <summary>"averaged over regimeMultiplier ∈ {1, 2}", for the axes a projection averaged; null when none.</summary>
    public static string? AveragedTitle(IEnumerable<AveragedAxis> averaged)
    {
        var axes = averaged.GroupBy(a => a.Axis)
            .Select(g => $"{g.Key} ∈ {{{string.Join(", ", g.SelectMany(a => a.Values).Distinct())}}}")
            .ToList();
        return axes.Count == 0 ? null : "averaged over " + string.Join("; ", axes);
    }

    /// <summary>The legend entry of the within-noise marks.</summary>
    public const string WithinNoiseName = "within seed noise of the baseline";

    /// <summary>The legend entry of the guard marks.</summary>
    public const string FlaggedName = "guard flag raised (hover for which)";

    private static Scatter MarkTrace(string name, string symbol, List<(int Row, int Column)> cells,
        List<object> x, List<object> y, Heatmap map, bool showLegend)
    {
        var hover = HoverTexts(map);
        var flag = symbol == "⚠";

        // Markers with a black outline read on every colour of the scale: a white dot (within noise) and an amber
        // triangle (flagged); the dot is drawn after the triangle, so a cell with both shows both.
        return new Scatter
        {
            Name = name,
            LegendGroup = name,
            ShowLegend = showLegend,
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
            X = cells.Select(c => x[c.Column]).ToList(),
            Y = cells.Select(c => y[c.Row]).ToList(),
            TextArray = cells.Select(_ => symbol).ToList(),
            Marker = new Plotly.Blazor.Traces.ScatterLib.Marker
            {
                Symbol = flag ? Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.TriangleUp : Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle,
                Size = flag ? 18 : 10,
                Color = flag ? "#ffd43b" : "#ffffff",
                Line = new Plotly.Blazor.Traces.ScatterLib.MarkerLib.Line { Color = "#000000", Width = 1.5m },
            },
            HoverTextArray = cells.Select(c => (string)((IList<object>)hover[c.Row])[c.Column]).ToList(),

            // A click on a mark opens the cell's trial, as a click on the cell does (wwwroot/heatmap-click.js).
            CustomData = cells.Select(c => (object)FirstTrial(map, c.Row, c.Column)).ToList(),
            HoverTemplate = "%{x} × %{y}<br>%{hovertext}<extra></extra>",
        };
    }

    private static IEnumerable<(int Row, int Column)> Cells(Heatmap map, Func<int, int, bool> marked) =>
        map.Z.SelectMany((row, r) => row.Select((_, c) => (Row: r, Column: c))).Where(cell => marked(cell.Row, cell.Column));

    private static IReadOnlyList<string> FlagsAt(Heatmap map, int y, int x) =>
        map.Flags.Count > y && map.Flags[y].Count > x ? map.Flags[y][x] : [];

    private static T? At<T>(IReadOnlyList<IReadOnlyList<T>> grid, int y, int x) =>
        grid.Count > y && grid[y].Count > x ? grid[y][x] : default;

    private static string Range(Interval interval) => $"[{interval.Low:0.0000}, {interval.High:0.0000}]";

    public static Plotly.Blazor.Layout Layout(string xLabel, string yLabel) => new()
    {
        Height = 440,
        Margin = new Margin { L = 80, R = 20, T = 20, B = 90 },
        Legend = [MarksLegend],
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xLabel }, Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yLabel }, Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category }],
    };

    /// <summary>The marks' legend sits below the chart, clear of the colour bar.</summary>
    public static Legend MarksLegend => new()
    {
        Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
        Y = -0.28m,
        X = 0,
    };

    /// <summary>The axis labels as the trace's x or y (and the cell annotations) use them.</summary>
    public static IList<object> AxisLabels(IReadOnlyList<string> labels, IReadOnlyList<double> values) => Labels(labels, values);

    /// <summary>The axis labels; a map built without labels falls back to the values, so that x and z never disagree in length.</summary>
    private static List<object> Labels(IReadOnlyList<string> labels, IReadOnlyList<double> values) =>
        labels.Count == values.Count
            ? labels.Cast<object>().ToList()
            : values.Select(v => (object)v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
}

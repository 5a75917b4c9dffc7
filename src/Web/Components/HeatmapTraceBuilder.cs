using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Sweep.Domain.Results;

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
                Title = new Plotly.Blazor.Traces.HeatMapLib.ColorBarLib.Title { Text = metric },
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

    /// <summary>Per cell: the mean ± std over seeds and how many there are, and the trials without a result.</summary>
    public static IList<object> HoverTexts(Heatmap map) =>
        map.Z.Select((row, y) => (object)row.Select((value, x) =>
        {
            var n = map.Count.Count > y ? map.Count[y][x] : 0;
            var std = map.Std.Count > y ? map.Std[y][x] : null;
            var trials = map.Trials.Count > y ? map.Trials[y][x].Count : -1;
            var text = value is { } v
                ? std is { } s ? $"{v:0.0000} ± {s:0.0000} (n = {n})" : $"{v:0.0000} (n = {n})"
                : trials == 0 ? "no trial" : "no result";
            return (object)(map.Notes.Count > y && map.Notes[y][x] is { } note ? $"{text}<br>{note}" : text);
        }).ToList()).ToList();

    public static Plotly.Blazor.Layout Layout(string xLabel, string yLabel) => new()
    {
        Height = 420,
        Margin = new Margin { L = 80, R = 20, T = 20, B = 60 },
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xLabel }, Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yLabel }, Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category }],
    };

    /// <summary>The axis labels; a map built without labels falls back to the values, so that x and z never disagree in length.</summary>
    private static IList<object> Labels(IReadOnlyList<string> labels, IReadOnlyList<double> values) =>
        labels.Count == values.Count
            ? labels.Cast<object>().ToList()
            : values.Select(v => (object)v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
}

using System.Globalization;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using Sweep.Domain.Statistics;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>One configuration (every grid value but the seed) and its trials, one per seed.</summary>
public sealed record SeedGroup(string Key, string Label, IReadOnlyList<CurveTrial> Trials);

/// <summary>
/// Curves grouped over seeds: the trials of one configuration become a mean line with its 95 % t band
/// (<see cref="SeedBands.Aggregate"/>), drawn as a low trace, a high trace filled to it ('tonexty') and the mean.
/// </summary>
public static class SeedBandTraces
{
    /// <summary>The suffix of a band trace's name; the browser tests look for it.</summary>
    public const string BandSuffix = " · 95 % band";

    /// <summary>The trials grouped by configuration, in the order the configurations first appear.</summary>
    public static IReadOnlyList<SeedGroup> Groups(IReadOnlyList<CurveTrial> trials)
    {
        var groups = trials.GroupBy(Key).ToList();
        var labels = TrialLabels.For(groups.Select(g => g.First() with { Seed = 0 }).ToList());
        return groups.Select(g =>
        {
            var seeds = g.Count();
            var label = labels[g.First().Id] + (seeds > 1 ? string.Create(CultureInfo.InvariantCulture, $" (mean of {seeds} seeds)") : "");
            return new SeedGroup(g.Key, label, g.ToList());
        }).ToList();
    }

    /// <summary>True when some configuration has more than one seed: only then is there a band to draw.</summary>
    public static bool HasReplicates(IReadOnlyList<CurveTrial> trials) => trials.GroupBy(Key).Any(g => g.Count() > 1);

    /// <summary>
    /// The band's low and high traces (only where at least two seeds have a value) and the mean line. The band has no
    /// legend entry of its own: it toggles with the mean through the legend group.
    /// </summary>
    public static IReadOnlyList<Scatter> Traces(string name, string group, string color, IReadOnlyList<BandPoint> points, string dash = "solid",
        Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum marker = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle)
    {
        var traces = new List<Scatter>(3);
        var banded = points.Where(p => p.Low is not null && p.High is not null).ToList();
        if (banded.Count > 0)
        {
            traces.Add(new Scatter
            {
                Name = name + " · 95 % low",
                LegendGroup = group,
                ShowLegend = false,
                X = banded.Select(p => (object)p.X).ToList(),
                Y = banded.Select(p => (object)p.Low!.Value).ToList(),
                Mode = ModeFlag.Lines,
                Line = new Line { Color = color, Width = 0 },
                HoverInfo = HoverInfoFlag.Skip,
            });
            traces.Add(new Scatter
            {
                Name = name + BandSuffix,
                LegendGroup = group,
                ShowLegend = false,
                X = banded.Select(p => (object)p.X).ToList(),
                Y = banded.Select(p => (object)p.High!.Value).ToList(),
                Mode = ModeFlag.Lines,
                Line = new Line { Color = color, Width = 0 },
                Fill = FillEnum.ToNextY,
                FillColor = Translucent(color),
                HoverInfo = HoverInfoFlag.Skip,
            });
        }

        traces.Add(new Scatter
        {
            Name = name,
            LegendGroup = group,
            X = points.Select(p => (object)p.X).ToList(),
            Y = points.Select(p => (object)p.Mean).ToList(),
            CustomData = points.Select(p => (object)p.N).ToList(),
            HoverTemplate = "%{y} (mean of %{customdata} seeds)<extra>" + name + "</extra>",
            Mode = points.Count <= 60 ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
            Line = new Line { Color = color, Width = 2, Dash = dash },
            Marker = new Marker { Color = color, Size = 6, Symbol = marker },
            Opacity = ChartPalette.LineOpacity,
        });
        return traces;
    }

    /// <summary>#rrggbb as rgba with a light alpha, so that overlapping bands stay readable.</summary>
    public static string Translucent(string hex)
    {
        var r = Convert.ToInt32(hex.Substring(1, 2), 16);
        var g = Convert.ToInt32(hex.Substring(3, 2), 16);
        var b = Convert.ToInt32(hex.Substring(5, 2), 16);
        return string.Create(CultureInfo.InvariantCulture, $"rgba({r},{g},{b},0.2)");
    }

    private static string Key(CurveTrial t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.BatchSize}|{t.GhostBatchSize}|{t.RegimeMultiplier:R}|{t.LrScaling}|{t.GbnImplementation}|{t.RunningStats}");
}

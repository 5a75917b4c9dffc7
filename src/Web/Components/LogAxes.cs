using System.Globalization;
using Plotly.Blazor.LayoutLib;

namespace Sweep.Web.Components;

/// <summary>
/// Log axes that label whole decades only (1, 10, 100, 1k …; 10⁻³, 10⁻² … below 1),
/// without minor ticks: Plotly's default labels every minor tick with a bare digit ("2", "5"), which reads as a value.
/// </summary>
public static class LogAxes
{
    /// <summary>dtick 1 on a log axis: one tick per power of ten.</summary>
    public const int Decade = 1;

    public static XAxis X(string title) => new()
    {
        Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = title },
        Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log,
        DTick = Decade,
        ExponentFormat = Plotly.Blazor.LayoutLib.XAxisLib.ExponentFormatEnum.Power,
    };

    public static YAxis Y(string title) => new()
    {
        Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = title },
        Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log,
        DTick = Decade,
        ExponentFormat = Plotly.Blazor.LayoutLib.YAxisLib.ExponentFormatEnum.Power,
    };

    /// <summary>
    /// Labelled ticks for data from <paramref name="min"/> to <paramref name="max"/> (both &gt; 0): every power of ten
    /// in the range, and where that gives fewer than two labels (data within one decade) also 2 and 5 times each
    /// power, so that a narrow range is still read off labels. Empty when there is no positive data.
    /// </summary>
    public static IReadOnlyList<double> Ticks(double min, double max)
    {
        if (!(min > 0) || !(max >= min) || !double.IsFinite(max))
        {
            return [];
        }

        var low = (int)Math.Floor(Math.Log10(min) + 1e-9);
        var high = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        var decades = Enumerable.Range(low, high - low + 1).Select(k => Math.Pow(10, k)).ToList();
        var inside = decades.Count(d => d >= min * (1 - 1e-9) && d <= max * (1 + 1e-9));
        return inside >= 2 ? decades : decades.SelectMany(d => new[] { d, 2 * d, 5 * d }).Where(v => v <= 10 * Math.Pow(10, high)).ToList();
    }

    /// <summary>"0.05", "1", "100", "10k", "1e-5": a tick's value as a reader says it.</summary>
    public static string Text(double value)
    {
        var inv = CultureInfo.InvariantCulture;
        return value switch
        {
            >= 1e6 => (value / 1e6).ToString("0.##", inv) + "M",
            >= 1e3 => (value / 1e3).ToString("0.##", inv) + "k",
            >= 1e-3 => value.ToString("0.####", inv),
            _ => value.ToString("0e0", inv),
        };
    }

    /// <summary>Labels the x axis at <see cref="Ticks"/> of the data; without data it keeps one tick per decade.</summary>
    public static void Label(XAxis axis, IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        IReadOnlyList<double> ticks = positive.Count == 0 ? [] : Ticks(positive.Min(), positive.Max());
        if (ticks.Count > 0)
        {
            axis.TickMode = Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Array;
            axis.TickVals = ticks.Cast<object>().ToList();
            axis.TickText = ticks.Select(t => (object)Text(t)).ToList();
        }
    }

    /// <summary>Labels the y axis at <see cref="Ticks"/> of the data; without data it keeps one tick per decade.</summary>
    public static void Label(YAxis axis, IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        IReadOnlyList<double> ticks = positive.Count == 0 ? [] : Ticks(positive.Min(), positive.Max());
        if (ticks.Count > 0)
        {
            axis.TickMode = Plotly.Blazor.LayoutLib.YAxisLib.TickModeEnum.Array;
            axis.TickVals = ticks.Cast<object>().ToList();
            axis.TickText = ticks.Select(t => (object)Text(t)).ToList();
        }
    }
}

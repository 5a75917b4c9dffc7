using System.Globalization;
using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// The heatmap view in the page's URL query, so that a view can be bookmarked and shared: metric, point in time,
/// epoch, x and y axes, facet, the fixed other axes and chart or table. Unknown or missing values fall back to the
/// defaults; the page only ever writes values it can read back.
/// </summary>
public static class HeatmapViewQuery
{
    public const string Metric = "metric";
    public const string At = "at";
    public const string Epoch = "epoch";
    public const string X = "x";
    public const string Y = "y";
    public const string Facet = "facet";
    public const string Fix = "fix";
    public const string View = "view";

    /// <summary>The value of <see cref="View"/> that opens the table instead of the chart.</summary>
    public const string TableView = "table";

    /// <summary>"regimeMultiplier:2,lrScaling:average": each other axis's choice (a value key or "average").</summary>
    public static string? FormatFixed(IReadOnlyDictionary<GridAxis, string> choices) =>
        choices.Count == 0 ? null : string.Join(",", choices.OrderBy(c => c.Key).Select(c => $"{c.Key.ApiName()}:{c.Value}"));

    /// <summary>The inverse of <see cref="FormatFixed"/>; pairs that do not parse are left out.</summary>
    public static Dictionary<GridAxis, string> ParseFixed(string? text)
    {
        var choices = new Dictionary<GridAxis, string>();
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':', 2);
            if (parts.Length == 2 && GridAxes.TryParse(parts[0], out var axis) && parts[1].Length > 0
                && (parts[1] == HeatmapFixedAxes.Average || double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                choices[axis] = parts[1];
            }
        }

        return choices;
    }

    /// <summary>An axis by its API name, or <paramref name="fallback"/>.</summary>
    public static GridAxis AxisOr(string? name, GridAxis fallback) => GridAxes.TryParse(name, out var axis) ? axis : fallback;

    /// <summary>A plottable metric, or <paramref name="fallback"/>.</summary>
    public static string MetricOr(string? name, string fallback) => name is not null && MetricNames.IsKnown(name) ? name : fallback;
}

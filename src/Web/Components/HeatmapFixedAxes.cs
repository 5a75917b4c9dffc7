using System.Globalization;
using Sweep.Domain.Results;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>
/// The heatmap's other axes: the swept axes other than seed that are neither x, y nor the facet and take more than one
/// value. Each gets a selector, so that nothing is averaged without the researcher asking for it; this holds what they
/// picked for each (a value <see cref="Key"/> or <see cref="Average"/>; an axis not picked shows its first value).
/// </summary>
public sealed class HeatmapFixedAxes(Dictionary<GridAxis, string> choices)
{
    /// <summary>The choice that averages over all of an axis's values (said in the chart's title).</summary>
    public const string Average = "average";

    /// <summary>The other axes of <paramref name="trials"/> with their values in order.</summary>
    public static IReadOnlyList<(GridAxis Axis, IReadOnlyList<double> Values)> Other(
        IEnumerable<TrialView> trials, GridAxis x, GridAxis y, GridAxis? facet)
    {
        var results = HeatmapInputs.FromViews(trials);
        return GridAxes.All
            .Where(a => a != GridAxis.Seed && a != x && a != y && a != facet)
            .Select(a => (Axis: a, Values: (IReadOnlyList<double>)results.Select(r => r.AxisValue(a)).Distinct().Order().ToList()))
            .Where(a => a.Values.Count > 1)
            .ToList();
    }

    /// <summary>A value as a selector's option value and in the URL: round-trippable, culture-free.</summary>
    public static string Key(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public void Choose(GridAxis axis, string? choice) => choices[axis] = choice ?? Average;

    /// <summary>The selector's value: the picked one while it is still among the axis's values, else the first value.</summary>
    public string Choice(GridAxis axis, IReadOnlyList<double> values) =>
        choices.TryGetValue(axis, out var choice) && (choice == Average || values.Any(v => Key(v) == choice)) ? choice : Key(values[0]);

    /// <summary>Each other axis's current choice, as the URL keeps it.</summary>
    public Dictionary<GridAxis, string> Choices(IReadOnlyList<(GridAxis Axis, IReadOnlyList<double> Values)> others) =>
        others.ToDictionary(a => a.Axis, a => Choice(a.Axis, a.Values));

    /// <summary>The heatmap query's fixed axes: every other axis not set to Average, at its chosen value.</summary>
    public Dictionary<GridAxis, double> Values(IReadOnlyList<(GridAxis Axis, IReadOnlyList<double> Values)> others)
    {
        var fixedAxes = new Dictionary<GridAxis, double>();
        foreach (var (axis, values) in others)
        {
            var choice = Choice(axis, values);
            if (choice != Average)
            {
                fixedAxes[axis] = values.First(v => Key(v) == choice);
            }
        }

        return fixedAxes;
    }
}

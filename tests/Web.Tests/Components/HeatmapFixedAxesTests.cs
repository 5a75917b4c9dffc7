using Sweep.Domain.Results;
using Sweep.Web.Components;

namespace Sweep.Web.Tests.Components;

/// <summary>The heatmap's other-axis selectors: a pick holds while it is one of the axis's values; Average fixes nothing.</summary>
public sealed class HeatmapFixedAxesTests
{
    private static readonly IReadOnlyList<(GridAxis Axis, IReadOnlyList<double> Values)> Others =
    [
        (GridAxis.RegimeMultiplier, [1, 2, 4]),
        (GridAxis.LrScaling, [0, 1]),
    ];

    [Fact]
    public void An_axis_not_picked_shows_its_first_value_and_a_stale_pick_falls_back_to_it()
    {
        var axes = new HeatmapFixedAxes(new() { [GridAxis.RegimeMultiplier] = "8" });

        Assert.Equal("1", axes.Choice(GridAxis.RegimeMultiplier, Others[0].Values));
        Assert.Equal("0", axes.Choice(GridAxis.LrScaling, Others[1].Values));
        Assert.Equal(new Dictionary<GridAxis, double> { [GridAxis.RegimeMultiplier] = 1, [GridAxis.LrScaling] = 0 }, axes.Values(Others));
    }

    [Fact]
    public void A_pick_fixes_its_value_and_Average_fixes_nothing_but_is_kept_for_the_url()
    {
        var axes = new HeatmapFixedAxes([]);
        axes.Choose(GridAxis.RegimeMultiplier, "4");
        axes.Choose(GridAxis.LrScaling, null);

        Assert.Equal(new Dictionary<GridAxis, double> { [GridAxis.RegimeMultiplier] = 4 }, axes.Values(Others));
        Assert.Equal(
            new Dictionary<GridAxis, string> { [GridAxis.RegimeMultiplier] = "4", [GridAxis.LrScaling] = HeatmapFixedAxes.Average },
            axes.Choices(Others));
        Assert.Equal("regimeMultiplier:4,lrScaling:average", HeatmapViewQuery.FormatFixed(axes.Choices(Others)));
    }
}

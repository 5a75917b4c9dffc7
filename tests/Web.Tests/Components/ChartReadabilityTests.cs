using Sweep.Domain.Results;
using Sweep.Web.Components;

namespace Sweep.Web.Tests.Components;

/// <summary>Charts that say what they show: a fit over too few points says so, log axes label whole decades, train and validation differ in line and marker.</summary>
public sealed class ChartReadabilityTests
{
    [Fact]
    public void A_fit_over_too_few_points_says_how_many_it_needs_instead_of_a_perfect_r_squared()
    {
        var twoPoints = DistanceFits.Analyze([(10, 1.0), (1000, 2.0)], firstDropStep: null);
        var enough = DistanceFits.Analyze([(10, 1.0), (100, 1.5), (1000, 2.0), (10000, 2.5)], firstDropStep: null);

        Assert.Equal($"fit needs ≥ {DistanceFits.MinimumPoints} points; have 2", DistanceChart.TooFewPoints(twoPoints));
        Assert.Null(twoPoints.Slope);
        Assert.Null(DistanceChart.TooFewPoints(enough));
    }

    [Fact]
    public void Log_axes_tick_each_decade_with_exponents_not_minor_digits()
    {
        var x = LogAxes.X("optimizer steps (log scale)");
        var y = LogAxes.Y("learning rate (log scale)");

        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log, x.Type);
        Assert.Equal(LogAxes.Decade, Convert.ToInt32(x.DTick, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.ExponentFormatEnum.Power, x.ExponentFormat);
        Assert.Equal(LogAxes.Decade, Convert.ToInt32(y.DTick, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Plotly.Blazor.LayoutLib.YAxisLib.ExponentFormatEnum.Power, y.ExponentFormat);
    }

    [Fact]
    public void Log_ticks_are_the_decades_in_range_and_two_and_five_times_them_when_the_data_spans_less_than_a_decade()
    {
        Assert.Equal([1, 10, 100, 1000], LogAxes.Ticks(1, 900));
        Assert.Equal([0.01, 0.02, 0.05, 0.1, 0.2, 0.5], LogAxes.Ticks(0.025, 0.1).Select(t => Math.Round(t, 6)));
        Assert.Empty(LogAxes.Ticks(0, 1));
        Assert.Equal(["0.05", "1", "100", "10k", "1e-5"], new[] { 0.05, 1, 100, 10_000, 1e-5 }.Select(LogAxes.Text));
    }

    [Fact]
    public void Train_is_dashed_with_open_markers_and_validation_solid_with_filled_ones()
    {
        var train = ChartPalette.Role(train: true);
        var validation = ChartPalette.Role(train: false);

        Assert.Equal(("dash", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.CircleOpen), train);
        Assert.Equal(("solid", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle), validation);
    }
}

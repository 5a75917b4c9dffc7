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
    public void Train_is_dashed_with_open_markers_and_validation_solid_with_filled_ones()
    {
        var train = ChartPalette.Role(train: true);
        var validation = ChartPalette.Role(train: false);

        Assert.Equal(("dash", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.CircleOpen), train);
        Assert.Equal(("solid", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle), validation);
    }
}

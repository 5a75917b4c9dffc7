using Sweep.Domain.Results;

namespace Sweep.Domain.Tests;

/// <summary>The log law against the power law on synthetic ‖w − w0‖ curves.</summary>
public sealed class DistanceFitsTests
{
    /// <summary>About 20 points per decade over 1 … 10^4, as geometric recording gives.</summary>
    private static IEnumerable<double> Steps() =>
        Enumerable.Range(0, 81).Select(i => Math.Round(Math.Pow(10, i / 20.0))).Distinct();

    [Fact]
    public void An_exact_log_curve_recovers_its_slope_and_prefers_the_log_law()
    {
        var points = Steps().Select(s => (s, 0.5 + (0.25 * Math.Log(s))));

        var report = DistanceFits.Analyze(points, firstDropStep: null);

        Assert.Null(report.Refusal);
        Assert.Equal(1, report.FromStep);
        Assert.Equal(10_000, report.ToStep);
        Assert.Equal(4.0, report.Decades, 12);
        Assert.Equal(0.25, report.Slope!.Value, 1e-9);
        Assert.Equal("log", report.Preferred);
        Assert.True(report.LogAic < report.PowerAic - 2);
    }

    [Fact]
    public void An_exact_power_curve_recovers_its_exponent_and_prefers_the_power_law()
    {
        var points = Steps().Select(s => (s, 1 + (0.5 * Math.Sqrt(s))));

        var report = DistanceFits.Analyze(points, firstDropStep: null);

        Assert.NotNull(report.Power);
        Assert.Equal(0.5, report.Power.Exponent, 1e-4);
        Assert.Equal(0.5, report.Power.Scale, 1e-3);
        Assert.Equal(1.0, report.Power.Intercept, 1e-2);
        Assert.Equal(1.0, report.Power.RSquared, 1e-9);
        Assert.Equal("power", report.Preferred);
    }

    [Fact]
    public void Noise_far_above_the_curvature_prefers_neither()
    {
        // 1 + 2·t^0.01 over 10 … 100 is a log curve but for a curvature of ~1e-4, hidden under ±0.05 of noise: the
        // power law's extra parameter buys almost nothing, so the AICs differ by less than 2.
        var points = Enumerable.Range(10, 91).Select(s => ((double)s, 1 + (2 * Math.Pow(s, 0.01)) + (s % 2 == 0 ? 0.05 : -0.05))).ToList();

        var report = DistanceFits.Analyze(points, firstDropStep: null);

        Assert.Equal("neither", report.Preferred);
        Assert.InRange(report.PowerAic!.Value - report.LogAic!.Value, -2, 2);
    }

    [Fact]
    public void A_curve_more_concave_than_the_log_prefers_the_log_law()
    {
        // ln t − 0.05·(ln t)² bends below any t^α with α > 0: the power law is no better, and costs a parameter.
        var points = Steps().Where(s => s >= 10).Select(s => (s, Math.Log(s) - (0.05 * Math.Log(s) * Math.Log(s)))).ToList();

        var report = DistanceFits.Analyze(points, firstDropStep: null);

        Assert.Equal("log", report.Preferred);
    }

    [Fact]
    public void A_window_under_a_decade_is_refused_with_its_span()
    {
        var points = Enumerable.Range(2, 14).Select(s => ((double)s, Math.Log(s)));

        var report = DistanceFits.Analyze(points, firstDropStep: null);

        Assert.Equal("the window spans 0.9 decades of steps (2 to 15); a slope needs at least one decade", report.Refusal);
        Assert.Null(report.Slope);
        Assert.NotNull(report.Log);
    }

    [Fact]
    public void The_first_drop_cuts_the_window_and_steps_below_one_are_left_out()
    {
        var points = new List<(double, double)> { (0, 0), (0.5, 9), (1, 1), (10, 2), (100, 3), (1000, 100), (5000, 200), (20, double.NaN) };

        var report = DistanceFits.Analyze(points, firstDropStep: 1000);

        Assert.Equal(3, report.Points);
        Assert.Equal(1, report.FromStep);
        Assert.Equal(100, report.ToStep);
        Assert.Equal(2.0, report.Decades, 12);
        Assert.Equal(1 / Math.Log(10), report.Slope!.Value, 1e-9);
        Assert.Equal(5, DistanceFits.Analyze(points, null).Points);
    }

    [Fact]
    public void Two_points_are_refused_as_too_few()
    {
        var report = DistanceFits.Analyze([(1, 0), (100, 1)], null);

        Assert.Equal("the window holds 2 points; a fit needs at least 3", report.Refusal);
        Assert.Null(report.Power);
        Assert.Null(report.Preferred);
    }

    [Fact]
    public void No_usable_point_is_refused()
    {
        var report = DistanceFits.Analyze([(0, 1), (5, double.NaN)], null);

        Assert.Equal(0, report.Points);
        Assert.NotNull(report.Refusal);
        Assert.Null(report.Log);
    }
}

using Sweep.Domain.Results;

namespace Sweep.Domain.Tests;

/// <summary>distance = a + b·ln(step): pure least squares on synthetic data.</summary>
public sealed class LogFitTests
{
    [Fact]
    public void An_exact_logarithmic_curve_gives_back_its_slope_and_intercept()
    {
        var points = Enumerable.Range(1, 10_000).Select(s => ((double)s, 0.5 + (0.25 * Math.Log(s))));

        var fit = LogFit.Fit(points);

        Assert.NotNull(fit);
        Assert.Equal(0.25, fit.Slope, 1e-10);
        Assert.Equal(0.5, fit.Intercept, 1e-9);
        Assert.Equal(1.0, fit.RSquared, 1e-12);
        Assert.Equal(10_000, fit.Count);
        Assert.Equal(0.5 + (0.25 * Math.Log(100)), fit.At(100), 1e-9);
    }

    [Fact]
    public void Noisy_data_gives_the_slope_within_the_noise_and_an_R_squared_below_one()
    {
        var random = new Random(7);
        var points = Enumerable.Range(1, 5_000)
            .Select(s => ((double)(s * 10), 1.0 + (0.8 * Math.Log(s * 10)) + ((random.NextDouble() - 0.5) * 0.4)))
            .ToList();

        var fit = LogFit.Fit(points)!;

        Assert.InRange(fit.Slope, 0.78, 0.82);
        Assert.InRange(fit.Intercept, 0.9, 1.1);
        Assert.InRange(fit.RSquared, 0.9, 0.9999);
    }

    [Fact]
    public void Step_zero_and_non_finite_distances_are_left_out()
    {
        var clean = Enumerable.Range(1, 100).Select(s => ((double)s, 2.0 * Math.Log(s))).ToList();
        var dirty = clean.Concat([(0.0, 123.0), (50.5, double.NaN), (60.5, double.PositiveInfinity)]).ToList();

        var a = LogFit.Fit(clean)!;
        var b = LogFit.Fit(dirty)!;

        Assert.Equal(100, b.Count);
        Assert.Equal(a.Slope, b.Slope, 1e-12);
        Assert.Equal(a.Intercept, b.Intercept, 1e-12);
    }

    [Fact]
    public void Large_step_counts_keep_their_precision()
    {
        // Steps of a long run: ln(step) varies little, where raw sums of squares would cancel.
        var points = Enumerable.Range(0, 10_000).Select(i => 1e7 + (i * 100.0)).Select(s => (s, 3.0 + (0.125 * Math.Log(s))));

        var fit = LogFit.Fit(points)!;

        Assert.Equal(0.125, fit.Slope, 1e-6);
        Assert.Equal(1.0, fit.RSquared, 1e-9);
    }

    [Fact]
    public void Fewer_than_two_distinct_steps_have_no_fit()
    {
        Assert.Null(LogFit.Fit(Array.Empty<(double, double)>()));
        Assert.Null(LogFit.Fit([(0.0, 1.0), (5.0, 2.0)]));
        Assert.Null(LogFit.Fit([(5.0, 1.0), (5.0, 2.0)]));
    }

    [Fact]
    public void A_constant_distance_is_a_flat_exact_fit()
    {
        var fit = LogFit.Fit([(1.0, 4.0), (10.0, 4.0), (100.0, 4.0)])!;

        Assert.Equal(0, fit.Slope, 1e-12);
        Assert.Equal(4, fit.Intercept, 1e-12);
        Assert.Equal(1, fit.RSquared);
    }
}

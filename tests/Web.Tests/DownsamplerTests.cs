using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests;

/// <summary>LTTB downsampling: pure, no database.</summary>
public sealed class DownsamplerTests
{
    private static List<CurvePoint> Series(int n, Func<int, double> value) =>
        Enumerable.Range(0, n).Select(i => new CurvePoint(i, i / 100, value(i))).ToList();

    [Fact]
    public void A_series_within_the_cap_is_kept_whole()
    {
        var points = Series(300, i => i * 0.5);

        var result = Downsampler.Downsample(points, 300);

        Assert.Equal(points, result);
    }

    [Fact]
    public void A_long_series_is_cut_to_exactly_the_cap_keeping_its_ends_in_order()
    {
        var points = Series(10_000, i => Math.Sin(i / 500.0));

        var result = Downsampler.Downsample(points, 300);

        Assert.Equal(300, result.Count);
        Assert.Equal(points[0], result[0]);
        Assert.Equal(points[^1], result[^1]);
        Assert.True(result.Zip(result.Skip(1)).All(pair => pair.First.Step < pair.Second.Step), "steps must stay strictly ascending");
        Assert.All(result, p => Assert.Contains(p, points));
    }

    [Fact]
    public void A_single_spike_survives_where_striding_would_drop_it()
    {
        // Spike at an index that no stride of 10,000 / 100 lands on.
        const int spike = 5_123;
        var points = Series(10_000, i => i == spike ? 50.0 : 1.0);
        var strided = Enumerable.Range(0, 100).Select(k => points[k * 100]).ToList();

        var result = Downsampler.Downsample(points, 100);

        Assert.DoesNotContain(strided, p => p.Value == 50.0);
        Assert.Contains(result, p => p.Step == spike && p.Value == 50.0);
    }

    [Fact]
    public void The_shape_of_an_oscillation_is_kept()
    {
        var points = Series(20_000, i => Math.Sin(2 * Math.PI * i / 2_000.0));

        var result = Downsampler.Downsample(points, 200);

        // Ten periods in 200 points: the peaks and troughs are still there.
        Assert.True(result.Max(p => p.Value) > 0.99);
        Assert.True(result.Min(p => p.Value) < -0.99);
    }

    [Fact]
    public void A_non_finite_value_of_a_diverged_run_is_kept()
    {
        var points = Series(5_000, i => i == 4_321 ? double.NaN : i == 4_800 ? double.PositiveInfinity : 1.0 / (i + 1));

        var result = Downsampler.Downsample(points, 50);

        Assert.Equal(50, result.Count);
        Assert.Contains(result, p => p.Step == 4_321 && double.IsNaN(p.Value));
        Assert.Contains(result, p => p.Step == 4_800 && double.IsPositiveInfinity(p.Value));
    }

    [Fact]
    public void On_a_log_axis_the_early_steps_keep_more_points()
    {
        var points = Enumerable.Range(1, 100_000).Select(s => new CurvePoint(s, 0, Math.Log(s))).ToList();

        var linear = Downsampler.Downsample(points, 100);
        var logarithmic = Downsampler.Downsample(points, 100, logSteps: true);

        // Buckets of equal width in ln(1 + step): the sparse first steps leave some empty, so fewer points may come back.
        Assert.InRange(logarithmic.Count, 80, 100);
        Assert.True(logarithmic.Count(p => p.Step < 1_000) > 30, "a log axis spends about 60% of its width below step 1000");
        Assert.True(linear.Count(p => p.Step < 1_000) <= 3);
    }

    [Fact]
    public void Indices_are_exactly_the_cap_and_the_cap_has_a_floor()
    {
        var xs = Enumerable.Range(0, 1_000).Select(i => (double)i).ToArray();
        var ys = xs.Select(x => x % 7).ToArray();

        Assert.Equal(3, Downsampler.LttbIndices(xs, ys, 3).Length);
        Assert.Equal(Enumerable.Range(0, 10), Downsampler.LttbIndices(xs[..10], ys[..10], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Downsampler.LttbIndices(xs, ys, 2));
        Assert.Throws<ArgumentException>(() => Downsampler.LttbIndices(xs, ys[..5], 3));
    }
}

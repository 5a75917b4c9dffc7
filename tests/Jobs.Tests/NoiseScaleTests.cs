using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Tests;

/// <summary>B_simple from averaged squared gradient norms: the two-batch-size estimators, NaN below the noise, a jackknife error.</summary>
public sealed class NoiseScaleTests
{
    [Fact]
    public void The_estimators_recover_a_known_gradient_and_noise()
    {
        // |G|² = 1 and tr(Σ) = 64: E|g_b|² = |G|² + tr(Σ)/b, so b = 16 gives 5 and B = 64 gives 2; B_simple = 64.
        var samples = new List<(double, double)> { (5.5, 2.1), (4.5, 1.9), (5.0, 2.0) };

        var result = NoiseScale.Summarize(samples, 16, 64);

        Assert.Equal(64, result[NoiseScale.Key], 9);
        Assert.Equal(1, result[NoiseScale.GradientSquaredKey], 9);
        Assert.True(result[NoiseScale.StdErrKey] > 0);
    }

    [Fact]
    public void A_gradient_estimate_at_or_below_zero_gives_no_scale()
    {
        // Whole batches no smaller than ghost batches in squared norm beyond the noise: |G|² ≤ 0.
        var result = NoiseScale.Summarize([(2.0, 0.4), (2.2, 0.5)], 16, 64);

        Assert.True(result[NoiseScale.GradientSquaredKey] <= 0);
        Assert.True(double.IsNaN(result[NoiseScale.Key]));
        Assert.True(double.IsNaN(result[NoiseScale.StdErrKey]));
    }
}

using Sweep.Domain.Statistics;

namespace Sweep.Domain.Tests;

public sealed class SampleSummaryTests
{
    [Fact]
    public void Three_values_give_the_mean_the_sample_std_and_a_t2_interval()
    {
        var summary = SampleSummary.Of([1.0, 2.0, 3.0, double.NaN, double.PositiveInfinity]);

        Assert.NotNull(summary);
        Assert.Equal(3, summary.N);
        Assert.Equal(2.0, summary.Mean, 12);
        Assert.Equal(1.0, summary.Std!.Value, 12);
        var half = 4.302653 / Math.Sqrt(3);
        Assert.Equal(2 - half, summary.Ci95!.Low, 5);
        Assert.Equal(2 + half, summary.Ci95.High, 5);
    }

    [Fact]
    public void One_value_has_a_mean_but_no_spread()
    {
        var summary = SampleSummary.Of([0.7]);

        Assert.Equal(new SampleSummary(1, 0.7, null, null), summary);
    }

    [Fact]
    public void No_finite_value_gives_no_summary()
    {
        Assert.Null(SampleSummary.Of([]));
        Assert.Null(SampleSummary.Of([double.NaN, double.NegativeInfinity]));
    }
}

using Sweep.Domain.Statistics;

namespace Sweep.Domain.Tests;

public sealed class SeedBandsTests
{
    [Fact]
    public void Each_x_averages_the_series_that_have_a_finite_value_there()
    {
        IReadOnlyList<(double X, double Y)>[] series =
        [
            [(0, 1), (1, 2), (2, 3)],
            [(0, 2), (1, 3), (2, double.NaN)],
            [(1, 4), (0, 3)],
        ];

        var band = SeedBands.Aggregate(series);

        Assert.Equal([0.0, 1.0, 2.0], band.Select(p => p.X));
        Assert.Equal([3, 3, 1], band.Select(p => p.N));
        Assert.Equal(2.0, band[0].Mean, 12);
        Assert.Equal(3.0, band[1].Mean, 12);
        var half = StudentT.Quantile975(2) / Math.Sqrt(3);
        Assert.Equal(3 - half, band[1].Low!.Value, 9);
        Assert.Equal(3 + half, band[1].High!.Value, 9);
        Assert.Equal(3.0, band[2].Mean);
        Assert.Null(band[2].Low);
        Assert.Null(band[2].High);
    }

    [Fact]
    public void No_series_gives_no_points() => Assert.Empty(SeedBands.Aggregate([]));
}

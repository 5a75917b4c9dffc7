using Sweep.Domain.Statistics;

namespace Sweep.Domain.Tests;

/// <summary>The t quantile against tabled values and closed forms.</summary>
public sealed class StudentTTests
{
    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(3, 3.1824)]
    [InlineData(4, 2.7764)]
    [InlineData(10, 2.2281)]
    [InlineData(30, 2.0423)]
    [InlineData(1e6, 1.9600)]
    public void The_975_quantile_matches_the_table(double df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile975(df), 1e-3);

    [Fact]
    public void One_and_two_degrees_of_freedom_match_their_closed_forms()
    {
        // df 1 is Cauchy: tan(π(p − ½)); df 2: (2p − 1)/√(2p(1 − p)).
        Assert.Equal(Math.Tan(Math.PI * 0.475), StudentT.Quantile975(1), 1e-8);
        Assert.Equal(0.95 / Math.Sqrt(2 * 0.975 * 0.025), StudentT.Quantile975(2), 1e-8);
    }

    [Fact]
    public void Fractional_degrees_of_freedom_fall_between_their_integer_neighbours()
    {
        var q = StudentT.Quantile975(2.5);

        Assert.InRange(q, StudentT.Quantile975(3), StudentT.Quantile975(2));
        Assert.True(StudentT.Quantile975(0.5) > StudentT.Quantile975(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Non_positive_degrees_of_freedom_are_refused(double df) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile975(df));
}

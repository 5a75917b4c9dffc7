using Sweep.Domain.Planning;

namespace Sweep.Domain.Tests;

public sealed class GeometricScheduleTests
{
    [Fact]
    public void The_schedule_starts_densely_and_spaces_out_by_a_quarter()
    {
        Assert.Equal([1L, 2, 3, 4, 5, 6, 8, 10, 12], GeometricSchedule.Steps(12));
        Assert.True(GeometricSchedule.Contains(15));
        Assert.False(GeometricSchedule.Contains(7));
        Assert.False(GeometricSchedule.Contains(0));
    }

    [Fact]
    public void A_decade_holds_about_ten_points()
    {
        var decade = GeometricSchedule.Steps(100_000).Count(s => s > 10_000);
        Assert.InRange(decade, 9, 12);
        Assert.All(GeometricSchedule.Steps(100_000).Skip(10).Zip(GeometricSchedule.Steps(100_000).Skip(11)), p => Assert.InRange(p.Second / (double)p.First, 1.1, 1.4));
    }
}

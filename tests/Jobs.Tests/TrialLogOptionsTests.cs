using System.ComponentModel.DataAnnotations;
using Sweep.Jobs.Worker;

namespace Sweep.Jobs.Tests;

/// <summary>Issue 18: the per-attempt bound on stored trainer output is validated at start, as the host validates it.</summary>
public sealed class TrialLogOptionsTests
{
    [Theory]
    [InlineData(0L, true)]
    [InlineData(4096L, true)]
    [InlineData(1L << 20, true)]
    [InlineData(100L, false)]
    [InlineData(-1L, false)]
    [InlineData((1L << 30) + 1, false)]
    public void TrialLogTailBytes_is_off_or_at_least_4096(long bytes, bool valid)
    {
        var options = new WorkerOptions { TrialLogTailBytes = bytes };
        var errors = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.All(errors, e => Assert.Contains(nameof(WorkerOptions.TrialLogTailBytes), e.MemberNames));
    }

    [Fact]
    public void The_default_keeps_one_MiB() => Assert.Equal(1L << 20, new WorkerOptions().TrialLogTailBytes);
}

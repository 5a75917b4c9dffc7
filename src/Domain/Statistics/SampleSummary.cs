namespace Sweep.Domain.Statistics;

/// <summary>n, mean, sample standard deviation and the 95 % Student-t interval of the mean of the finite values.</summary>
public sealed record SampleSummary(int N, double Mean, double? Std, Interval? Ci95)
{
    /// <summary>The summary of the finite values, or null when there are none. (Contract: filled in by the statistics work.)</summary>
    public static SampleSummary? Of(IEnumerable<double> values) => throw new NotImplementedException();
}

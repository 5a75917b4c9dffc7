namespace Sweep.Domain.Statistics;

/// <summary>n, mean, sample standard deviation and the 95 % Student-t interval of the mean of the finite values.</summary>
public sealed record SampleSummary(int N, double Mean, double? Std, Interval? Ci95)
{
    /// <summary>The summary of the finite values, or null when there are none; Std and Ci95 need n ≥ 2.</summary>
    public static SampleSummary? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return null;
        }

        var n = finite.Count;
        var mean = finite.Average();
        if (n < 2)
        {
            return new SampleSummary(n, mean, null, null);
        }

        var std = Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = StudentT.Quantile975(n - 1) * std / Math.Sqrt(n);
        return new SampleSummary(n, mean, std, new Interval(mean - half, mean + half));
    }
}

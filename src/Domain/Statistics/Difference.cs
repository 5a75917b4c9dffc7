namespace Sweep.Domain.Statistics;

/// <summary>
/// A difference of means between two groups (a reference minus a cell), with its 95 % interval: from a paired t test
/// when <see cref="Paired"/> (seed by seed, <see cref="N"/> pairs), else from Welch's t (N = the smaller group).
/// </summary>
public sealed record Difference(double Mean, Interval? Ci95, int N, bool Paired)
{
    /// <summary>True when the interval contains 0: the difference is within seed noise. Null without an interval.</summary>
    public bool? WithinNoise => Ci95?.Contains(0);
}

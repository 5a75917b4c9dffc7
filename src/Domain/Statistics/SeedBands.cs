namespace Sweep.Domain.Statistics;

/// <summary>One x of a curve grouped over seeds: the mean of the seeds that have a finite value there, and its 95 % band.</summary>
public sealed record BandPoint(double X, double Mean, double? Low, double? High, int N);

/// <summary>Groups curves of one configuration over seeds into a mean line with a 95 % t band.</summary>
public static class SeedBands
{
    /// <summary>Points at every x that any series has; each series is (x, y) pairs. (Contract.)</summary>
    public static IReadOnlyList<BandPoint> Aggregate(IEnumerable<IReadOnlyList<(double X, double Y)>> series) =>
        throw new NotImplementedException();
}

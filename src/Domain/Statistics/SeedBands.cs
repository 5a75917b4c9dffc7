namespace Sweep.Domain.Statistics;

/// <summary>One x of a curve grouped over seeds: the mean of the seeds that have a finite value there, and its 95 % band.</summary>
public sealed record BandPoint(double X, double Mean, double? Low, double? High, int N);

/// <summary>Groups curves of one configuration over seeds into a mean line with a 95 % t band.</summary>
public static class SeedBands
{
    /// <summary>
    /// Points at every x that any series has, in ascending x; each series is (x, y) pairs. An x where no series has
    /// a finite y is left out; the band needs two series there.
    /// </summary>
    public static IReadOnlyList<BandPoint> Aggregate(IEnumerable<IReadOnlyList<(double X, double Y)>> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var byX = new SortedDictionary<double, List<double>>();
        foreach (var curve in series)
        {
            // A series that repeats an x counts once there, with its mean: a band counts series, not points.
            foreach (var group in curve.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).GroupBy(p => p.X))
            {
                if (!byX.TryGetValue(group.Key, out var ys))
                {
                    byX[group.Key] = ys = [];
                }

                ys.Add(group.Average(p => p.Y));
            }
        }

        return byX.Select(kv => Point(kv.Key, kv.Value)).ToList();
    }

    private static BandPoint Point(double x, List<double> ys)
    {
        var summary = SampleSummary.Of(ys)!;
        return new BandPoint(x, summary.Mean, summary.Ci95?.Low, summary.Ci95?.High, summary.N);
    }
}

namespace Sweep.Domain.Statistics;

/// <summary>Differences of means between a reference group and a cell, each given as values by seed.</summary>
public static class Differences
{
    /// <summary>
    /// reference − cell with its 95 % interval: paired by seed over the seeds both have (finite on both sides) when
    /// there are at least two such seeds, else Welch's unpaired interval (none when either side has one value);
    /// null when either side has no finite value.
    /// </summary>
    public static Difference? Between(IReadOnlyDictionary<int, double> reference, IReadOnlyDictionary<int, double> cell)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(cell);
        var pairs = reference
            .Where(r => double.IsFinite(r.Value) && cell.TryGetValue(r.Key, out var c) && double.IsFinite(c))
            .Select(r => r.Value - cell[r.Key])
            .ToList();
        if (pairs.Count >= 2)
        {
            // Seeds share data order and initialization, so the per-seed difference removes their common noise.
            var summary = SampleSummary.Of(pairs)!;
            return new Difference(summary.Mean, summary.Ci95, summary.N, Paired: true);
        }

        return Welch(reference.Values.Where(double.IsFinite).ToList(), cell.Values.Where(double.IsFinite).ToList());
    }

    private static Difference? Welch(List<double> reference, List<double> cell)
    {
        if (reference.Count == 0 || cell.Count == 0)
        {
            return null;
        }

        var mean = reference.Average() - cell.Average();
        var n = Math.Min(reference.Count, cell.Count);
        if (n < 2)
        {
            return new Difference(mean, null, n, Paired: false);
        }

        var v1 = Variance(reference) / reference.Count;
        var v2 = Variance(cell) / cell.Count;
        var se2 = v1 + v2;
        if (se2 <= 0)
        {
            // Both groups constant: the difference is exact.
            return new Difference(mean, new Interval(mean, mean), n, Paired: false);
        }

        // Welch–Satterthwaite degrees of freedom.
        var df = se2 * se2 / ((v1 * v1 / (reference.Count - 1)) + (v2 * v2 / (cell.Count - 1)));
        var half = StudentT.Quantile975(df) * Math.Sqrt(se2);
        return new Difference(mean, new Interval(mean - half, mean + half), n, Paired: false);
    }

    private static double Variance(List<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}

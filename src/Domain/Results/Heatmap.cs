namespace Sweep.Domain.Results;

/// <summary>
/// A metric over two grid axes. <see cref="Z"/> is indexed [y][x], as Plotly expects; a cell without a finite
/// result is null. <see cref="Count"/> and <see cref="Std"/> say how many trials each mean covers.
/// </summary>
public sealed record Heatmap(
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    IReadOnlyList<IReadOnlyList<double?>> Z,
    IReadOnlyList<IReadOnlyList<int>> Count,
    IReadOnlyList<IReadOnlyList<double?>> Std)
{
    /// <summary>How each x value reads (the number, or a rule's name on a categorical axis).</summary>
    public IReadOnlyList<string> XLabels { get; init; } = [];

    public IReadOnlyList<string> YLabels { get; init; } = [];
}

/// <summary>The question a heatmap answers: which metric, on which axes, with which other axes held fixed.</summary>
public sealed record HeatmapQuery(GridAxis X, GridAxis Y, string Metric, IReadOnlyDictionary<GridAxis, double> Fixed);

public static class HeatmapProjector
{
    /// <summary>
    /// Projects trial results onto two axes. Trials that do not match a fixed axis are left out; over every other
    /// axis that is neither plotted nor fixed (seeds, for one) the finite values are averaged.
    /// </summary>
    public static Heatmap Project(IEnumerable<TrialResult> trials, HeatmapQuery query)
    {
        if (query.X == query.Y)
        {
            throw new ArgumentException("The x and y axes must differ.", nameof(query));
        }

        var matching = trials
            .Where(t => query.Fixed.All(f => f.Key == query.X || f.Key == query.Y || NearlyEqual(t.AxisValue(f.Key), f.Value)))
            .ToList();

        var xs = matching.Select(t => t.AxisValue(query.X)).Distinct().Order().ToList();
        var ys = matching.Select(t => t.AxisValue(query.Y)).Distinct().Order().ToList();

        var z = new List<IReadOnlyList<double?>>(ys.Count);
        var counts = new List<IReadOnlyList<int>>(ys.Count);
        var stds = new List<IReadOnlyList<double?>>(ys.Count);
        var byCell = matching.ToLookup(t => (t.AxisValue(query.X), t.AxisValue(query.Y)));
        foreach (var y in ys)
        {
            var row = new double?[xs.Count];
            var countRow = new int[xs.Count];
            var stdRow = new double?[xs.Count];
            for (var i = 0; i < xs.Count; i++)
            {
                var values = byCell[(xs[i], y)]
                    .Select(t => t.Metrics.TryGetValue(query.Metric, out var v) ? v : double.NaN)
                    .Where(double.IsFinite)
                    .ToList();
                countRow[i] = values.Count;
                if (values.Count > 0)
                {
                    var mean = values.Average();
                    row[i] = mean;
                    stdRow[i] = values.Count > 1
                        ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1))
                        : null;
                }
            }

            z.Add(row);
            counts.Add(countRow);
            stds.Add(stdRow);
        }

        return new Heatmap(xs, ys, z, counts, stds)
        {
            XLabels = xs.Select(x => query.X.Label(x)).ToList(),
            YLabels = ys.Select(y => query.Y.Label(y)).ToList(),
        };
    }

    private static bool NearlyEqual(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}

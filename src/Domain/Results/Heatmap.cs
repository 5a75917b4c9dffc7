using Sweep.Domain.Sweeps;

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

    /// <summary>Per cell [y][x]: trials without a result yet or at all (e.g. "1 running · 1 failed"), or null.</summary>
    public IReadOnlyList<IReadOnlyList<string?>> Notes { get; init; } = [];
}

/// <summary>The cell the paper's gap is measured against: by default B = G = B_ref at regime 1.</summary>
public sealed record BaselineCell(int BatchSize, int GhostBatchSize, double RegimeMultiplier);

/// <summary>The question a heatmap answers: which metric, on which axes, with which other axes held fixed.</summary>
public sealed record HeatmapQuery(GridAxis X, GridAxis Y, string Metric, IReadOnlyDictionary<GridAxis, double> Fixed)
{
    /// <summary>Needed by <see cref="MetricNames.GapToBaseline"/>; without it that metric has no values.</summary>
    public BaselineCell? Baseline { get; init; }
}

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

        var all = trials.ToList();
        var matching = all
            .Where(t => query.Fixed.All(f => f.Key == query.X || f.Key == query.Y || NearlyEqual(t.AxisValue(f.Key), f.Value)))
            .ToList();

        // The baseline is looked up among all trials: fixing an axis for the plot must not hide the reference cell.
        var value = ValueOf(query, all);
        var xs = matching.Select(t => t.AxisValue(query.X)).Distinct().Order().ToList();
        var ys = matching.Select(t => t.AxisValue(query.Y)).Distinct().Order().ToList();

        var z = new List<IReadOnlyList<double?>>(ys.Count);
        var counts = new List<IReadOnlyList<int>>(ys.Count);
        var stds = new List<IReadOnlyList<double?>>(ys.Count);
        var notes = new List<IReadOnlyList<string?>>(ys.Count);
        var byCell = matching.ToLookup(t => (t.AxisValue(query.X), t.AxisValue(query.Y)));
        foreach (var y in ys)
        {
            var row = new double?[xs.Count];
            var countRow = new int[xs.Count];
            var stdRow = new double?[xs.Count];
            var noteRow = new string?[xs.Count];
            for (var i = 0; i < xs.Count; i++)
            {
                var cell = byCell[(xs[i], y)].ToList();
                var values = cell.Select(value).Where(double.IsFinite).ToList();
                noteRow[i] = Note(cell);
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
            notes.Add(noteRow);
        }

        return new Heatmap(xs, ys, z, counts, stds)
        {
            XLabels = xs.Select(x => query.X.Label(x)).ToList(),
            YLabels = ys.Select(y => query.Y.Label(y)).ToList(),
            Notes = notes,
        };
    }

    /// <summary>How a trial's value of the query's metric is read, including the derived metrics.</summary>
    private static Func<TrialResult, double> ValueOf(HeatmapQuery query, IReadOnlyList<TrialResult> trials)
    {
        static double Get(TrialResult t, string key) => t.Metrics.TryGetValue(key, out var v) ? v : double.NaN;
        switch (query.Metric)
        {
            case MetricNames.ValError:
                return t => 1 - Get(t, MetricNames.ValAccuracy);
            case MetricNames.GapToBaseline:
                var baseline = query.Baseline is { } b
                    ? trials.Where(t => t.Cell.BatchSize == b.BatchSize && t.Cell.GhostBatchSize == b.GhostBatchSize && NearlyEqual(t.Cell.RegimeMultiplier, b.RegimeMultiplier))
                        .Select(t => Get(t, MetricNames.ValAccuracy)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()
                    : double.NaN;
                return t => baseline - Get(t, MetricNames.ValAccuracy);
            default:
                return t => Get(t, query.Metric);
        }
    }

    /// <summary>Says which trials of a cell have no result: still waiting or running, or failed or cancelled.</summary>
    private static string? Note(List<TrialResult> cell)
    {
        var pending = cell.Where(t => t.State != TrialState.Completed).GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key}").ToList();
        return pending.Count > 0 ? string.Join(" · ", pending) : null;
    }

    private static bool NearlyEqual(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Results;

public static class HeatmapProjector
{
    /// <summary>
    /// Projects trial results onto two axes. Trials that do not match a fixed axis are left out; over every other
    /// axis that is neither plotted nor fixed (seeds, for one) the finite values are averaged.
    /// </summary>
    public static Heatmap Project(IEnumerable<TrialResult> trials, HeatmapQuery query)
    {
        Validate(query);
        var all = trials.ToList();
        var matching = Matching(all, query, []);
        return Grid(matching, query, ValueOf(query, all), Values(matching, query.X), Values(matching, query.Y));
    }

    /// <summary>
    /// One heatmap per value of <paramref name="facet"/> (a fixed value of that axis is ignored, as for x and y). Every
    /// panel has the x and y values of all panels, so that the same cell sits in the same place in each.
    /// </summary>
    public static FacetedHeatmap ProjectFacets(IEnumerable<TrialResult> trials, HeatmapQuery query, GridAxis facet)
    {
        Validate(query);
        if (facet == query.X || facet == query.Y)
        {
            throw new ArgumentException("The facet axis must differ from the x and y axes.", nameof(facet));
        }

        var all = trials.ToList();
        var matching = Matching(all, query, [facet]);
        var value = ValueOf(query, all);
        var xs = Values(matching, query.X);
        var ys = Values(matching, query.Y);
        var panels = Values(matching, facet)
            .Select(v => new HeatmapFacet(v, facet.Label(v), Grid(matching.Where(t => NearlyEqual(t.AxisValue(facet), v)).ToList(), query, value, xs, ys)))
            .ToList();
        var finite = panels.SelectMany(p => p.Map.Z.SelectMany(row => row)).OfType<double>().ToList();
        return new FacetedHeatmap(facet.ApiName(), panels, finite.Count > 0 ? finite.Min() : null, finite.Count > 0 ? finite.Max() : null);
    }

    private static void Validate(HeatmapQuery query)
    {
        if (query.X == query.Y)
        {
            throw new ArgumentException("The x and y axes must differ.", nameof(query));
        }

        if (query.At.Kind == PointInTimeKind.Best && !MetricNames.HasBest(query.Metric))
        {
            throw new ArgumentException($"'{query.Metric}' has no best value: no direction of it is better.", nameof(query));
        }
    }

    /// <summary>The trials that match every fixed axis that is not drawn (x, y and the <paramref name="drawn"/> ones).</summary>
    private static List<TrialResult> Matching(List<TrialResult> all, HeatmapQuery query, GridAxis[] drawn) =>
        all.Where(t => query.Fixed.All(f => f.Key == query.X || f.Key == query.Y || drawn.Contains(f.Key) || NearlyEqual(t.AxisValue(f.Key), f.Value)))
            .ToList();

    private static List<double> Values(List<TrialResult> trials, GridAxis axis) =>
        trials.Select(t => t.AxisValue(axis)).Distinct().Order().ToList();

    private static Heatmap Grid(List<TrialResult> trials, HeatmapQuery query, Func<TrialResult, double> value, List<double> xs, List<double> ys)
    {
        var z = new List<IReadOnlyList<double?>>(ys.Count);
        var counts = new List<IReadOnlyList<int>>(ys.Count);
        var stds = new List<IReadOnlyList<double?>>(ys.Count);
        var notes = new List<IReadOnlyList<string?>>(ys.Count);
        var ids = new List<IReadOnlyList<IReadOnlyList<Guid>>>(ys.Count);
        var byCell = trials.ToLookup(t => (t.AxisValue(query.X), t.AxisValue(query.Y)));
        foreach (var y in ys)
        {
            var row = new double?[xs.Count];
            var countRow = new int[xs.Count];
            var stdRow = new double?[xs.Count];
            var noteRow = new string?[xs.Count];
            var idRow = new IReadOnlyList<Guid>[xs.Count];
            for (var i = 0; i < xs.Count; i++)
            {
                var cell = byCell[(xs[i], y)].Select(t => (Trial: t, Value: value(t))).ToList();
                var values = cell.Select(c => c.Value).Where(double.IsFinite).ToList();
                noteRow[i] = Note(cell, query);
                idRow[i] = cell.OrderByDescending(c => double.IsFinite(c.Value)).ThenBy(c => c.Trial.Cell.Seed).Select(c => c.Trial.Id).ToList();
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
            ids.Add(idRow);
        }

        return new Heatmap(xs, ys, z, counts, stds)
        {
            XLabels = xs.Select(x => query.X.Label(x)).ToList(),
            YLabels = ys.Select(y => query.Y.Label(y)).ToList(),
            Notes = notes,
            Trials = ids,
        };
    }

    /// <summary>How a trial's value of the query's metric is read at the query's point in time, including the derived metrics.</summary>
    private static Func<TrialResult, double> ValueOf(HeatmapQuery query, IReadOnlyList<TrialResult> trials)
    {
        var accuracy = Reader(query.At, MetricNames.ValAccuracy, higherIsBetter: true);
        switch (query.Metric)
        {
            case MetricNames.ValError:
                return t => 1 - accuracy(t);
            case MetricNames.GapToBaseline:
                // The baseline is read at the same point in time, and among all trials: fixing an axis for the plot
                // must not hide the reference cell.
                var baseline = query.Baseline is { } b
                    ? trials.Where(t => t.Cell.BatchSize == b.BatchSize && t.Cell.GhostBatchSize == b.GhostBatchSize && NearlyEqual(t.Cell.RegimeMultiplier, b.RegimeMultiplier))
                        .Select(accuracy).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()
                    : double.NaN;
                return t => baseline - accuracy(t);
            default:
                return Reader(query.At, query.Metric, MetricNames.HigherIsBetter(query.Metric));
        }
    }

    /// <summary>
    /// A recorded key at a point in time: the final value; the value after epoch N; or the best over the trained
    /// epochs (epoch 0, before training, is not a candidate: an untrained net's near-zero gap is no "best").
    /// </summary>
    private static Func<TrialResult, double> Reader(PointInTime at, string key, bool? higherIsBetter) => at.Kind switch
    {
        PointInTimeKind.Epoch => t => History(t, key).Where(p => p.Epoch == at.Epoch).Select(p => p.Value).DefaultIfEmpty(double.NaN).First(),
        PointInTimeKind.Best => t =>
        {
            var trained = History(t, key).Where(p => p.Epoch > 0 && double.IsFinite(p.Value)).Select(p => p.Value).ToList();
            return trained.Count == 0 ? double.NaN : higherIsBetter == true ? trained.Max() : trained.Min();
        },
        _ => t => t.Metrics.TryGetValue(key, out var v) ? v : double.NaN,
    };

    private static IReadOnlyList<EpochValue> History(TrialResult t, string key) =>
        t.History.TryGetValue(key, out var points) ? points : [];

    /// <summary>
    /// Says which trials of a cell have no final result: still waiting or running, or failed or cancelled. At epoch N
    /// it also counts the completed trials that ended before N (a shorter regime), which have no value there.
    /// </summary>
    private static string? Note(List<(TrialResult Trial, double Value)> cell, HeatmapQuery query)
    {
        var pending = cell.Where(c => c.Trial.State != TrialState.Completed).GroupBy(c => c.Trial.State).Select(g => $"{g.Count()} {g.Key}").ToList();
        var key = MetricNames.SourceKey(query.Metric);
        var ended = query.At.Kind == PointInTimeKind.Epoch
            ? cell.Count(c => c.Trial.State == TrialState.Completed && !History(c.Trial, key).Any(p => p.Epoch == query.At.Epoch))
            : 0;
        if (ended > 0)
        {
            pending.Add($"{ended} ended before epoch {query.At.Epoch}");
        }

        return pending.Count > 0 ? string.Join(" · ", pending) : null;
    }

    private static bool NearlyEqual(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}

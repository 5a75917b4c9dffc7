using Sweep.Domain.Statistics;
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
        return Grid(matching, query, Context(query, all, matching, []), Values(matching, query.X), Values(matching, query.Y));
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
        var context = Context(query, all, matching, [facet]);
        var xs = Values(matching, query.X);
        var ys = Values(matching, query.Y);
        var panels = Values(matching, facet)
            .Select(v => new HeatmapFacet(v, facet.Label(v), Grid(matching.Where(t => NearlyEqual(t.AxisValue(facet), v)).ToList(), query, context, xs, ys)))
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

    /// <summary>What a grid needs besides its trials: the value reader, the baseline comparison, the averaged axes.</summary>
    private sealed record GridContext(Func<TrialResult, double> Value, BaselineComparison? Baseline, IReadOnlyList<AveragedAxis> AveragedOver);

    private static GridContext Context(HeatmapQuery query, List<TrialResult> all, List<TrialResult> matching, GridAxis[] drawn)
    {
        var value = ValueOf(query, all);
        // The paper's gap is already baseline − cell; its difference to the baseline is that of the accuracies.
        var compared = query.Metric == MetricNames.GapToBaseline ? Reader(query.At, MetricNames.ValAccuracy, higherIsBetter: true) : value;
        return new GridContext(value, BaselineComparison.For(query, all, compared), AveragedOver(matching, query, drawn));
    }

    /// <summary>The non-seed axes that are neither drawn nor fixed and take more than one value among the trials.</summary>
    private static List<AveragedAxis> AveragedOver(List<TrialResult> trials, HeatmapQuery query, GridAxis[] drawn) =>
        GridAxes.All
            .Where(a => a != GridAxis.Seed && a != query.X && a != query.Y && !drawn.Contains(a) && !query.Fixed.ContainsKey(a))
            .Select(a => (Axis: a, Values: Values(trials, a)))
            .Where(a => a.Values.Count > 1)
            .Select(a => new AveragedAxis(a.Axis.ApiName(), a.Values.Select(v => a.Axis.Label(v)).ToList()))
            .ToList();

    /// <summary>One cell's numbers: the summary of its finite values, its difference to the baseline, its flags.</summary>
    private sealed record CellStats(SampleSummary? Summary, string? Note, IReadOnlyList<Guid> Ids, Difference? ToBaseline, IReadOnlyList<string> Flags);

    private static CellStats Cell(List<TrialResult> trials, HeatmapQuery query, GridContext context)
    {
        var cell = trials.Select(t => (Trial: t, Value: context.Value(t))).ToList();
        var ids = cell.OrderByDescending(c => double.IsFinite(c.Value)).ThenBy(c => c.Trial.Cell.Seed).Select(c => c.Trial.Id).ToList();
        var raised = trials.SelectMany(t => Guards.ForTrial(t.Metrics)).ToHashSet();
        if (context.Baseline?.IsOptimizationGap(trials) == true)
        {
            raised.Add(GuardFlags.OptimizationGap);
        }

        var flags = GuardFlags.All.Where(raised.Contains).ToList();
        return new CellStats(SampleSummary.Of(cell.Select(c => c.Value)), Note(cell, query), ids, context.Baseline?.ToBaseline(trials), flags);
    }

    private static Heatmap Grid(List<TrialResult> trials, HeatmapQuery query, GridContext context, List<double> xs, List<double> ys)
    {
        var byCell = trials.ToLookup(t => (t.AxisValue(query.X), t.AxisValue(query.Y)));
        var cells = ys.Select(y => xs.Select(x => Cell(byCell[(x, y)].ToList(), query, context)).ToList()).ToList();
        IReadOnlyList<IReadOnlyList<T>> Rows<T>(Func<CellStats, T> pick) => cells.Select(row => (IReadOnlyList<T>)row.Select(pick).ToList()).ToList();
        return new Heatmap(xs, ys, Rows(c => c.Summary?.Mean), Rows(c => c.Summary?.N ?? 0), Rows(c => c.Summary?.Std))
        {
            XLabels = xs.Select(x => query.X.Label(x)).ToList(),
            YLabels = ys.Select(y => query.Y.Label(y)).ToList(),
            Notes = Rows(c => c.Note),
            Trials = Rows(c => c.Ids),
            Ci95 = Rows(c => c.Summary?.Ci95),
            ToBaseline = Rows(c => c.ToBaseline),
            WithinNoise = Rows(c => c.ToBaseline?.WithinNoise),
            Flags = Rows(c => c.Flags),
            AveragedOver = context.AveragedOver,
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
        // Final, as for the columns, means a completed trial's: a failed trial's last peak memory is not its result.
        _ when MetricNames.LatestIsFinal.Contains(key) => t =>
            t.Metrics.TryGetValue(key, out var v) ? v : t.State == TrialState.Completed ? Latest(History(t, key)) : double.NaN,
        _ => t => t.Metrics.TryGetValue(key, out var v) ? v : double.NaN,
    };

    private static double Latest(IReadOnlyList<EpochValue> points) =>
        points.Count == 0 ? double.NaN : points.MaxBy(p => p.Epoch)!.Value;

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

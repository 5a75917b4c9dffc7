using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Curves grouped over seeds: one mean line with a 95 % band per configuration (all grid values but the seed).</summary>
public sealed partial class CurveReader
{
    /// <summary>
    /// The learning curves of <paramref name="trials"/> grouped by configuration: per key, the seeds' mean and 95 % t
    /// band at every step any seed recorded (<see cref="SeedBands.Aggregate"/>), thinned to at most
    /// <paramref name="maxPoints"/> points. Groups are in the order of their first trial.
    /// </summary>
    public async Task<IReadOnlyList<CurveGroup>> ReadGroupedAsync(
        IReadOnlyList<CurveTrial> trials, IReadOnlyList<string> keys, int maxPoints, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, Downsampler.MinPoints);
        var series = new Dictionary<(Guid Trial, string Key), List<CurvePoint>>();
        await foreach (var (trial, key, points) in SeriesAsync(trials.Select(t => t.Id).ToArray(), keys.ToArray(), ct))
        {
            series[(trial, key)] = points;
        }

        return Configurations(trials).Select(g => new CurveGroup(
            g.Key,
            g.Select(t => t.Seed).ToList(),
            g.Select(t => t.Id).ToList(),
            keys.ToDictionary(k => k, k => Band(g.Select(t => series.GetValueOrDefault((t.Id, k)) ?? []), maxPoints, logSteps: false)))).ToList();
    }

    /// <summary>
    /// ‖w − w0‖ against steps grouped by configuration: the mean line with its 95 % band (thinned on a log axis), and
    /// the fit of the mean line before the configuration's first LR drop, from <paramref name="spec"/>.
    /// </summary>
    public async Task<IReadOnlyList<DistanceGroup>> ReadGroupedDistanceAsync(
        IReadOnlyList<CurveTrial> trials, int maxPoints, SweepSpec spec, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, Downsampler.MinPoints);
        var series = new Dictionary<Guid, List<CurvePoint>>();
        await foreach (var (trial, _, points) in SeriesAsync(trials.Select(t => t.Id).ToArray(), [MetricNames.WeightDistance], ct))
        {
            series[trial] = points;
        }

        return Configurations(trials).Select(g =>
        {
            var full = SeedBands.Aggregate(g.Select(t => Pairs(series.GetValueOrDefault(t.Id) ?? [])).Where(s => s.Count > 0));
            var drop = FirstDropStep(g.First().Cell, spec);
            var report = full.Count > 0 ? DistanceFits.Analyze(full.Select(p => (p.X, p.Mean)), drop) : null;
            return new DistanceGroup(g.Key, g.Select(t => t.Seed).ToList(), g.Select(t => t.Id).ToList(), Thin(full, maxPoints, logSteps: true), drop, report);
        }).ToList();
    }

    /// <summary>
    /// The step at which a trial's learning rate first drops: the first drop epoch (after regime adaptation) times
    /// the steps per epoch; null when the schedule has no drop or the dataset is unknown.
    /// </summary>
    public static double? FirstDropStep(TrialCell cell, SweepSpec spec)
    {
        if (Datasets.Find(spec.Dataset) is not { } dataset)
        {
            return null;
        }

        var plan = TrainingPlan.Resolve(cell, spec.Training, spec.Training.TrainSubset ?? dataset.TrainSize);
        return plan.Schedule.Drops.Count > 0 ? (double)plan.Schedule.Drops[0].Epoch * plan.StepsPerEpoch : null;
    }

    private static IEnumerable<IGrouping<CurveConfiguration, CurveTrial>> Configurations(IReadOnlyList<CurveTrial> trials) =>
        trials.GroupBy(CurveConfiguration.Of);

    private static IReadOnlyList<(double X, double Y)> Pairs(List<CurvePoint> points) =>
        points.Select(p => ((double)p.Step, p.Value)).ToList();

    private static IReadOnlyList<BandPoint> Band(IEnumerable<List<CurvePoint>> seeds, int maxPoints, bool logSteps) =>
        Thin(SeedBands.Aggregate(seeds.Where(s => s.Count > 0).Select(Pairs)), maxPoints, logSteps);

    /// <summary>At most <paramref name="maxPoints"/> band points: those LTTB keeps of the mean line.</summary>
    private static IReadOnlyList<BandPoint> Thin(IReadOnlyList<BandPoint> band, int maxPoints, bool logSteps)
    {
        if (band.Count <= maxPoints)
        {
            return band;
        }

        var line = band.Select(p => new CurvePoint((long)p.X, 0, p.Mean)).ToList();
        var kept = Downsampler.Downsample(line, maxPoints, logSteps).Select(p => (double)p.Step).ToHashSet();
        return band.Where(p => kept.Contains(p.X)).ToList();
    }
}

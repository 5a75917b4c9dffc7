using Sweep.Domain.Results;
using Sweep.Domain.Statistics;

namespace Sweep.Web.Sweeps;

/// <summary>A configuration: every grid value but the seed. Its trials are the seeds, the replicates a band is over.</summary>
public sealed record CurveConfiguration(
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    string LrScaling,
    string GbnImplementation,
    string RunningStats)
{
    public static CurveConfiguration Of(CurveTrial t) =>
        new(t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.LrScaling, t.GbnImplementation, t.RunningStats);
}

/// <summary>One configuration's learning curves over seeds: per key, the mean line with its 95 % t band, x = step.</summary>
/// <param name="Seeds">The seeds of the configuration's selected trials.</param>
public sealed record CurveGroup(
    CurveConfiguration Configuration,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<Guid> Trials,
    IReadOnlyDictionary<string, IReadOnlyList<BandPoint>> Bands);

public sealed record GroupedSweepCurves(
    Guid SweepId,
    IReadOnlyList<string> Keys,
    int MaxPoints,
    int SweepTrialCount,
    bool Truncated,
    IReadOnlyList<CurveGroup> Groups);

/// <summary>
/// One configuration's ‖w − w0‖ over seeds: the mean line with its 95 % band against steps (thinned on a log axis),
/// and the fit of the mean line on the steps before the first LR drop (<see cref="DistanceFits.Analyze"/>).
/// </summary>
/// <param name="FirstDropStep">The step of the configuration's first LR drop; null when its schedule has none.</param>
public sealed record DistanceGroup(
    CurveConfiguration Configuration,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<Guid> Trials,
    IReadOnlyList<BandPoint> Band,
    double? FirstDropStep,
    DistanceFitReport? Report);

public sealed record GroupedSweepDistance(Guid SweepId, int MaxPoints, int SweepTrialCount, bool Truncated, IReadOnlyList<DistanceGroup> Groups);

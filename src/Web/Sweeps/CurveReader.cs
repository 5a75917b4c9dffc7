using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>A trial as a chart names it: its grid values and state.</summary>
public sealed record CurveTrial(
    Guid Id,
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string State) : IGridPosition
{
    public static CurveTrial From(TrialView t) => new(
        t.Id, t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.LrScaling, t.GbnImplementation, t.RunningStats, t.State);

    public TrialCell Cell => new(
        BatchSize, GhostBatchSize, RegimeMultiplier, Seed,
        ApiNames.Parse<global::Sweep.Domain.Sweeps.LrScaling>(LrScaling),
        ApiNames.Parse<global::Sweep.Domain.Sweeps.GbnImplementation>(GbnImplementation),
        ApiNames.Parse<RunningStatsPolicy>(RunningStats));
}

/// <summary>A series downsampled to at most the requested points; <see cref="TotalPoints"/> is how many were recorded.</summary>
public sealed record CurveSeries(int TotalPoints, IReadOnlyList<CurvePoint> Points)
{
    public static CurveSeries Empty { get; } = new(0, []);
}

/// <summary>One trial's series, by metric key (every requested key is present, empty when nothing was recorded).</summary>
public sealed record TrialCurves(CurveTrial Trial, IReadOnlyDictionary<string, CurveSeries> Series);

public sealed record SweepCurves(
    Guid SweepId,
    IReadOnlyList<string> Keys,
    int MaxPoints,
    int SweepTrialCount,
    bool Truncated,
    IReadOnlyList<TrialCurves> Trials);

/// <summary>
/// ‖w − w0‖ against steps for one trial, downsampled on a log axis, with distance = a + b·ln(step) fitted on every
/// point (<see cref="Fit"/>, kept for older clients) and the report on the steps before the first LR drop
/// (<see cref="Report"/>: window, decades, log and power fits, the preferred law, or why no slope is given).
/// </summary>
public sealed record TrialDistance(CurveTrial Trial, int TotalPoints, IReadOnlyList<CurvePoint> Points, LogFitResult? Fit)
{
    /// <summary>The step of the trial's first LR drop; null when its schedule has none or the spec was not given.</summary>
    public double? FirstDropStep { get; init; }

    /// <summary>null when read without the sweep's spec (the window before the first drop is then unknown) or without points.</summary>
    public DistanceFitReport? Report { get; init; }
}

public sealed record SweepDistance(Guid SweepId, int MaxPoints, int SweepTrialCount, bool Truncated, IReadOnlyList<TrialDistance> Trials);

/// <summary>
/// Reads metric histories for charts: per trial and key, ordered by step and downsampled on the server (LTTB).
/// Rows are streamed and each series is reduced as soon as it is complete, so only one full series is in memory.
/// </summary>
public sealed partial class CurveReader(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>The most trials one request reads (and the default selection's cap).</summary>
    public const int MaxTrials = 50;

    private const string SeriesSql = """
        SELECT trial_id, key, step, epoch, value
          FROM metric_points
         WHERE trial_id = ANY(@trials) AND key = ANY(@keys)
         ORDER BY trial_id, key, step
        """;

    /// <summary>Every trial of a sweep in grid order, or null when the sweep does not exist.</summary>
    public async Task<IReadOnlyList<CurveTrial>?> TrialsOfSweepAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return null;
        }

        return await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == sweepId)
            .OrderByGrid()
            .Select(t => new CurveTrial(t.Id, t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.LrScaling, t.GbnImplementation, t.RunningStats, t.State))
            .ToListAsync(ct);
    }

    /// <summary>The series of the given keys for each trial, in the order of <paramref name="trials"/>.</summary>
    public async Task<IReadOnlyList<TrialCurves>> CurvesAsync(
        IReadOnlyList<CurveTrial> trials, IReadOnlyList<string> keys, int maxPoints, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, Downsampler.MinPoints);
        var found = new Dictionary<(Guid Trial, string Key), CurveSeries>();
        await foreach (var (trial, key, points) in SeriesAsync(trials.Select(t => t.Id).ToArray(), keys.ToArray(), ct))
        {
            found[(trial, key)] = new CurveSeries(points.Count, Downsampler.Downsample(points, maxPoints));
        }

        return trials.Select(t => new TrialCurves(
            t,
            keys.ToDictionary(k => k, k => found.GetValueOrDefault((t.Id, k), CurveSeries.Empty)))).ToList();
    }

    /// <summary>‖w − w0‖ against steps (per-epoch and every-N-steps points together) with its log fit, per trial.</summary>
    public Task<IReadOnlyList<TrialDistance>> DistanceAsync(IReadOnlyList<CurveTrial> trials, int maxPoints, CancellationToken ct) =>
        DistanceAsync(trials, maxPoints, spec: null, ct);

    /// <summary>
    /// As <see cref="DistanceAsync(IReadOnlyList{CurveTrial}, int, CancellationToken)"/>; with the sweep's
    /// <paramref name="spec"/> each trial also gets its first LR drop's step and the fit report before it.
    /// </summary>
    public async Task<IReadOnlyList<TrialDistance>> DistanceAsync(IReadOnlyList<CurveTrial> trials, int maxPoints, SweepSpec? spec, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, Downsampler.MinPoints);
        var found = new Dictionary<Guid, TrialDistance>();
        var byId = trials.ToDictionary(t => t.Id);
        await foreach (var (trial, _, points) in SeriesAsync(byId.Keys.ToArray(), [MetricNames.WeightDistance], ct))
        {
            var pairs = points.Select(p => ((double)p.Step, p.Value)).ToList();
            var drop = spec is null ? null : FirstDropStep(byId[trial].Cell, spec);
            found[trial] = new TrialDistance(byId[trial], points.Count, Downsampler.Downsample(points, maxPoints, logSteps: true), LogFit.Fit(pairs))
            {
                FirstDropStep = drop,
                Report = spec is null ? null : DistanceFits.Analyze(pairs, drop),
            };
        }

        return trials.Select(t => found.GetValueOrDefault(t.Id)
            ?? new TrialDistance(t, 0, [], null) { FirstDropStep = spec is null ? null : FirstDropStep(t.Cell, spec) }).ToList();
    }

    /// <summary>Each (trial, key) series, complete and ordered by step, one at a time as the rows stream in.</summary>
    private async IAsyncEnumerable<(Guid Trial, string Key, List<CurvePoint> Points)> SeriesAsync(
        Guid[] trialIds, string[] keys, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (trialIds.Length == 0 || keys.Length == 0)
        {
            yield break;
        }

        var parameters = new Dictionary<string, object> { ["trials"] = trialIds, ["keys"] = keys };
        (Guid Trial, string Key)? current = null;
        var points = new List<CurvePoint>();
        await foreach (var row in StreamingQuery.ReadAsync(
            contexts, SeriesSql, parameters,
            r => (Trial: r.GetGuid(0), Key: r.GetString(1), Point: new CurvePoint(r.GetInt64(2), r.GetInt32(3), r.GetDouble(4))),
            ct))
        {
            if (current is { } c && (c.Trial != row.Trial || c.Key != row.Key))
            {
                yield return (c.Trial, c.Key, points);
                points = [];
            }

            current = (row.Trial, row.Key);
            points.Add(row.Point);
        }

        if (current is { } last)
        {
            yield return (last.Trial, last.Key, points);
        }
    }
}

namespace Sweep.Data.Archive;

/// <summary>
/// A finished sweep with its results, as one self-contained document: the spec, every trial with its resolved
/// configuration and environment, and the full metric history. It moves a sweep between installations and is the
/// format of the published examples under examples/. Checkpoints are left out (they are large and only resume runs).
/// </summary>
public sealed record SweepArchive
{
    public const string CurrentFormat = "sweep-archive/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>A stable name for the archive (the example's key); null for ad-hoc exports.</summary>
    public string? Key { get; init; }

    public required ArchivedSweep Sweep { get; init; }

    public required IReadOnlyList<ArchivedTrial> Trials { get; init; }
}

public sealed record ArchivedSweep(
    string Name,
    string Dataset,
    string Model,
    System.Text.Json.JsonElement Spec,
    int SkippedCells,
    DateTimeOffset CreatedAt,
    string State,
    int MaxAttempts,
    string Queue);

/// <summary>A trial and its history; metric points are columns (key index, step, epoch, value, time) to stay compact.</summary>
public sealed record ArchivedTrial(
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string State,
    int Attempt,
    int Priority,
    int CurrentEpoch,
    int TotalEpochs,
    System.Text.Json.JsonElement? Config,
    System.Text.Json.JsonElement? Environment,
    string? Error,
    string? FailureKind,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    ArchivedFinal Final,
    IReadOnlyList<string> MetricKeys,
    ArchivedPoints Points);

public sealed record ArchivedFinal(
    double? TrainLoss,
    double? TrainAccuracy,
    double? ValLoss,
    double? ValAccuracy,
    double? GeneralizationGap,
    double? WeightDistance,
    long? Steps,
    double? WallSeconds);

/// <summary>Parallel arrays, one entry per recorded value; times are milliseconds after the trial's start (or creation).</summary>
public sealed record ArchivedPoints(
    IReadOnlyList<int> Key,
    IReadOnlyList<long> Step,
    IReadOnlyList<int> Epoch,
    IReadOnlyList<double> Value,
    IReadOnlyList<long> Milliseconds);

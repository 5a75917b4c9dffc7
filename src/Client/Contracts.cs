namespace Sweep.Client;

// The API's response shapes as a client reads them. Fields the server adds later are ignored, so an older client
// keeps working against a newer server.

public sealed record SweepCreated(Guid Id, int TrialCount, int SkippedCells, IReadOnlyList<InvalidCell> InvalidCells)
{
    /// <summary>True when the server answered with an earlier request's sweep (same Idempotency-Key, same body).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Replayed { get; init; }
}

public sealed record InvalidCell(int BatchSize, int GhostBatchSize, string Reason);

public sealed record SweepProgressInfo(long EpochsDone, long EpochsPlanned, double ComputeSeconds, double? EtaSeconds, int ActiveWorkers);

public sealed record SweepInfo(
    Guid Id,
    string Name,
    string Dataset,
    string Model,
    string State,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Counts,
    SweepProgressInfo Progress,
    IReadOnlyList<TrialInfo> Trials)
{
    /// <summary>No trial is queued or running any more.</summary>
    public bool IsSettled => Counts.Where(c => c.Key is "queued" or "running").Sum(c => c.Value) == 0;
}

/// <param name="Status">running, queued, finished, paused or cancelled: what the sweeps list shows.</param>
public sealed record SweepListItem(
    Guid Id,
    string Name,
    string Dataset,
    string Model,
    string State,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Counts,
    double? BestValAccuracy);

public sealed record TrialInfo(
    Guid Id,
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string State,
    int CurrentEpoch,
    int TotalEpochs,
    int Attempt,
    int Priority,
    string? FailureKind,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, double> Metrics);

public sealed record ResultPage<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record MetricPoint(string Key, double Value, long Step, int Epoch, DateTimeOffset Timestamp);

public sealed record CurvePointInfo(long Step, int Epoch, double Value);

public sealed record CurveTrialInfo(
    Guid Id, int BatchSize, int GhostBatchSize, double RegimeMultiplier, int Seed, string LrScaling, string GbnImplementation, string RunningStats, string State);

public sealed record LogFitInfo(double Intercept, double Slope, double RSquared, int Count);

public sealed record TrialDistanceInfo(CurveTrialInfo Trial, int TotalPoints, IReadOnlyList<CurvePointInfo> Points, LogFitInfo? Fit);

public sealed record SweepDistanceInfo(Guid SweepId, int MaxPoints, int SweepTrialCount, bool Truncated, IReadOnlyList<TrialDistanceInfo> Trials);

/// <summary>A trial with its resolved configuration and environment, as GET /trials/{id} returns it.</summary>
public sealed record TrialDetailInfo(
    TrialInfo Trial,
    Guid SweepId,
    string? LeaseOwner,
    System.Text.Json.JsonElement? Config,
    System.Text.Json.JsonElement? Environment,
    int? CheckpointEpoch);

public sealed record WorkerInfo(
    string Name,
    string Host,
    string Device,
    string Version,
    IReadOnlyList<string> Queues,
    string State,
    string? PausedReason,
    Guid? CurrentTrialId,
    int ConsecutiveFailures,
    int TrialsRun,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt);

/// <summary>Values to add to a sweep's axes (POST /sweeps/{id}/extend); only the missing cells are created.</summary>
public sealed record SweepExtensionRequest(
    IReadOnlyList<int>? BatchSize = null,
    IReadOnlyList<int>? GhostBatchSize = null,
    IReadOnlyList<Sweep.Domain.Sweeps.RegimeMultiplier>? RegimeMultiplier = null,
    IReadOnlyList<int>? Seeds = null);

namespace Sweep.Client;

// The API's response shapes as a client reads them. Fields the server adds later are ignored, so an older client
// keeps working against a newer server.

public sealed record SweepCreated(Guid Id, int TrialCount, int SkippedCells, IReadOnlyList<InvalidCell> InvalidCells);

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

public sealed record SweepListItem(
    Guid Id,
    string Name,
    string Dataset,
    string Model,
    string State,
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

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

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The note as written (Markdown); null when none.</summary>
    public string? Notes { get; init; }

    /// <summary>The note rendered and sanitized by the server.</summary>
    public string NotesHtml { get; init; } = "";
}

/// <summary>A note as stored (Markdown, null when cleared) and as the pages show it (sanitized HTML).</summary>
public sealed record NoteInfo(string? Markdown, string Html);

public sealed record TagsInfo(IReadOnlyList<string> Tags);

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
    double? BestValAccuracy)
{
    /// <summary>The slug of the sweep's project.</summary>
    public string? ProjectSlug { get; init; }

    /// <summary>The name of the sweep's project.</summary>
    public string? ProjectName { get; init; }

    /// <summary>Who created the sweep, as an alias ("member 1a2b3c4d"); null for examples and older sweeps.</summary>
    public string? Owner { get; init; }

    /// <summary>The caller created this sweep.</summary>
    public bool IsMine { get; init; }

    /// <summary>A published example loaded at start.</summary>
    public bool IsExample { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}

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
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The artifact guards the trial's recorded metrics raise (running-stats, train-eval-mismatch, few-updates).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}

public sealed record ResultPage<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record MetricPoint(string Key, double Value, long Step, int Epoch, DateTimeOffset Timestamp);

public sealed record CurvePointInfo(long Step, int Epoch, double Value);

public sealed record CurveTrialInfo(
    Guid Id, int BatchSize, int GhostBatchSize, double RegimeMultiplier, int Seed, string LrScaling, string GbnImplementation, string RunningStats, string State);

public sealed record LogFitInfo(double Intercept, double Slope, double RSquared, int Count);

public sealed record PowerFitInfo(double Intercept, double Scale, double Exponent, double RSquared, int Count);

/// <summary>
/// A ‖w − w0‖ fit on the steps before the first LR drop: the window, its decades, both laws with their AIC, the law
/// preferred ("log", "power" or "neither"), and — when the window is too short — why no slope is given.
/// </summary>
public sealed record DistanceFitReportInfo(
    double FromStep,
    double ToStep,
    double Decades,
    int Points,
    LogFitInfo? Log,
    PowerFitInfo? Power,
    double? LogAic,
    double? PowerAic,
    string? Preferred,
    string? Refusal,
    double? Slope);

/// <param name="Fit">distance = a + b·ln(step) on every point, as before.</param>
public sealed record TrialDistanceInfo(CurveTrialInfo Trial, int TotalPoints, IReadOnlyList<CurvePointInfo> Points, LogFitInfo? Fit)
{
    public double? FirstDropStep { get; init; }

    public DistanceFitReportInfo? Report { get; init; }
}

public sealed record SweepDistanceInfo(Guid SweepId, int MaxPoints, int SweepTrialCount, bool Truncated, IReadOnlyList<TrialDistanceInfo> Trials);

/// <summary>A step of a curve grouped over seeds: the mean of the N seeds with a value there and its 95 % band.</summary>
public sealed record BandPointInfo(double X, double Mean, double? Low, double? High, int N);

/// <summary>Every grid value but the seed.</summary>
public sealed record CurveConfigurationInfo(int BatchSize, int GhostBatchSize, double RegimeMultiplier, string LrScaling, string GbnImplementation, string RunningStats);

public sealed record CurveGroupInfo(
    CurveConfigurationInfo Configuration, IReadOnlyList<int> Seeds, IReadOnlyList<Guid> Trials, IReadOnlyDictionary<string, IReadOnlyList<BandPointInfo>> Bands);

/// <summary>GET /sweeps/{id}/curves?group=seeds.</summary>
public sealed record GroupedCurvesInfo(Guid SweepId, IReadOnlyList<string> Keys, int MaxPoints, int SweepTrialCount, bool Truncated, IReadOnlyList<CurveGroupInfo> Groups);

public sealed record DistanceGroupInfo(
    CurveConfigurationInfo Configuration, IReadOnlyList<int> Seeds, IReadOnlyList<Guid> Trials, IReadOnlyList<BandPointInfo> Band, double? FirstDropStep, DistanceFitReportInfo? Report);

/// <summary>GET /sweeps/{id}/distance?group=seeds.</summary>
public sealed record GroupedDistanceInfo(Guid SweepId, int MaxPoints, int SweepTrialCount, bool Truncated, IReadOnlyList<DistanceGroupInfo> Groups);

/// <summary>One (configuration, final metric) over seeds, as GET /sweeps/{id}/export/cells.json returns it.</summary>
public sealed record CellAggregateInfo(
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string Metric,
    int N,
    double? Mean,
    double? Std,
    double? Ci95Low,
    double? Ci95High,
    double? ToBaselineMean,
    double? ToBaselineLow,
    double? ToBaselineHigh,
    bool? ToBaselinePaired,
    bool? WithinNoise,
    IReadOnlyList<string> Flags);

/// <summary>A trial with its resolved configuration and environment, as GET /trials/{id} returns it.</summary>
public sealed record TrialDetailInfo(
    TrialInfo Trial,
    Guid SweepId,
    string? LeaseOwner,
    System.Text.Json.JsonElement? Config,
    System.Text.Json.JsonElement? Environment,
    int? CheckpointEpoch)
{
    /// <summary>Every run of the trial on a worker, oldest first; numbers keep counting across retries.</summary>
    public IReadOnlyList<TrialAttemptInfo> Attempts { get; init; } = [];

    /// <summary>The note as written (Markdown); null when none.</summary>
    public string? Notes { get; init; }

    /// <summary>The note rendered and sanitized by the server.</summary>
    public string NotesHtml { get; init; } = "";
}

/// <summary>
/// One run of a trial on a worker. Outcome: completed, failed, cancelled, released (its worker handed it back) or
/// lost (its lease ran out); null while it runs. FailureKind and Error (its first line) are set when it failed.
/// </summary>
public sealed record TrialAttemptInfo(
    int Number,
    string Worker,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Outcome,
    string? FailureKind,
    string? Error);

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
    DateTimeOffset HeartbeatAt,
    string? PausedBy = null);

/// <summary>What the stored checkpoints weigh (GET /checkpoints/summary): all, pinned, and the largest sweeps you can read.</summary>
public sealed record CheckpointSummaryInfo(long Count, long Bytes, long PinnedCount, long PinnedBytes, IReadOnlyList<SweepCheckpointsInfo> Sweeps);

public sealed record SweepCheckpointsInfo(Guid SweepId, string Name, long Count, long Bytes);

/// <summary>Values to add to a sweep's axes (POST /sweeps/{id}/extend); only the missing cells are created.</summary>
public sealed record SweepExtensionRequest(
    IReadOnlyList<int>? BatchSize = null,
    IReadOnlyList<int>? GhostBatchSize = null,
    IReadOnlyList<Sweep.Domain.Sweeps.RegimeMultiplier>? RegimeMultiplier = null,
    IReadOnlyList<int>? Seeds = null);

/// <summary>A new share link: its token (shown once), the page it opens, and the link's id for revoking it.</summary>
public sealed record ShareLinkCreated(string Token, string Url, ShareLinkDetails Details);

public sealed record ShareLinkDetails(Guid Id, Guid SweepId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Active, string? Name = null);

/// <summary>A page of a trial's trainer output: its text, the cursor for what comes next, and the attempt it is from (null before any started).</summary>
public sealed record TrialLogText(string Text, string Cursor, int? Attempt);

using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>What the API and the pages show of a sweep.</summary>
public sealed record SweepDetail(
    Guid Id,
    string Name,
    string Dataset,
    string Model,
    string State,
    DateTimeOffset CreatedAt,
    int SkippedCells,
    IReadOnlyDictionary<string, int> Counts,
    SweepProgress Progress,
    SweepSpec Spec,
    IReadOnlyList<TrialView> Trials)
{
    /// <summary>A published example loaded at start (see Examples); users may delete it.</summary>
    public bool IsExample { get; init; }

    /// <summary>Lower-case labels (<see cref="SweepTags"/>); empty when none.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The note as its author wrote it (Markdown); null when none.</summary>
    public string? Notes { get; init; }

    /// <summary>The note rendered and sanitized (<see cref="MarkdownNote"/>); empty when none.</summary>
    public string NotesHtml { get; init; } = "";
}

/// <summary>How far a sweep is: epochs done of planned, compute spent, and an ETA from measured trial durations.</summary>
public sealed record SweepProgress(
    long EpochsDone,
    long EpochsPlanned,
    double ComputeSeconds,
    double? EtaSeconds,
    int ActiveWorkers);

public sealed record TrialView(
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
    IReadOnlyDictionary<string, double> Metrics) : IGridPosition
{
    public TrialCell Cell => new(
        BatchSize, GhostBatchSize, RegimeMultiplier, Seed,
        ApiNames.Parse<LrScaling>(LrScaling),
        ApiNames.Parse<GbnImplementation>(GbnImplementation),
        ApiNames.Parse<RunningStatsPolicy>(RunningStats));

    /// <summary>A running trial's time left in seconds, from its own pace; null when unknown (see <see cref="TrialEta"/>).</summary>
    public double? EtaSeconds => TrialEta.Seconds(State, CurrentEpoch, TotalEpochs, Attempt, Metrics);

    /// <summary>The artifact guards this trial's recorded metrics raise (<see cref="GuardFlags"/>).</summary>
    public IReadOnlyList<string> Flags => Guards.ForTrial(Metrics);
}

/// <summary>A trial with everything needed to reproduce it.</summary>
public sealed record TrialDetail(
    TrialView Trial,
    Guid SweepId,
    string? LeaseOwner,
    System.Text.Json.JsonElement? Config,
    System.Text.Json.JsonElement? Environment,
    int? CheckpointEpoch)
{
    /// <summary>The checkpoint is pinned: it stays when the trial ends.</summary>
    public bool CheckpointPinned { get; init; }

    /// <summary>Every run of the trial, oldest first; the last one is the current (or latest) attempt.</summary>
    public IReadOnlyList<TrialAttemptView> Attempts { get; init; } = [];

    /// <summary>When the current attempt started (a lease taken over keeps the trial's own start time); the API has it in <see cref="Attempts"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? CurrentStart => Attempts.Count > 0 ? Attempts[^1].StartedAt : Trial.StartedAt;

    /// <summary>The note as its author wrote it (Markdown); null when none.</summary>
    public string? Notes { get; init; }

    /// <summary>The note rendered and sanitized (<see cref="MarkdownNote"/>); empty when none.</summary>
    public string NotesHtml { get; init; } = "";
}

/// <summary>One measured value, in MLflow's shape; NaN and ±Infinity are sent as such.</summary>
public sealed record MetricPointView(string Key, double Value, long Step, int Epoch, DateTimeOffset Timestamp);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

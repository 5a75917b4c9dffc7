using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>What the API and the pages show of a sweep.</summary>
public sealed record SweepDetail(
    Guid Id,
    string Name,
    string Dataset,
    string Model,
    DateTimeOffset CreatedAt,
    int SkippedCells,
    IReadOnlyDictionary<string, int> Counts,
    SweepSpec Spec,
    IReadOnlyList<TrialView> Trials);

public sealed record SweepSummary(
    Guid Id,
    string Name,
    string Dataset,
    string Model,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Counts,
    double? BestValAccuracy);

public sealed record TrialView(
    Guid Id,
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    string State,
    int CurrentEpoch,
    int TotalEpochs,
    int Attempt,
    string? FailureKind,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, double> Metrics);

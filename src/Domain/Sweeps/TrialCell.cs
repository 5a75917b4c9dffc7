namespace Sweep.Domain.Sweeps;

/// <summary>
/// One point of the grid: the values that make a trial unique within its sweep. Besides the three size axes and
/// the seed, a sweep may vary the LR scaling rule, the ghost BN implementation and the running-statistics policy.
/// </summary>
public sealed record TrialCell(
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    int Seed,
    LrScaling LrScaling,
    GbnImplementation GbnImplementation,
    RunningStatsPolicy RunningStats);

/// <summary>A grid point that cannot run, with the reason in words.</summary>
public sealed record InvalidCell(int BatchSize, int GhostBatchSize, string Reason);

namespace Sweep.Domain.Sweeps;

/// <summary>One point of the grid: the values that make a trial unique within its sweep.</summary>
public sealed record TrialCell(int BatchSize, int GhostBatchSize, double RegimeMultiplier, int Seed);

/// <summary>A grid point that cannot run, with the reason in words.</summary>
public sealed record InvalidCell(int BatchSize, int GhostBatchSize, string Reason);

namespace Sweep.Domain.Sweeps;

/// <summary>Guard rails on what one sweep may ask for.</summary>
public sealed record SweepLimits
{
    public int MaxCells { get; init; } = 10_000;

    public int MaxEpochs { get; init; } = 10_000;

    public int MaxBatchSize { get; init; } = 1 << 20;

    public static SweepLimits Default { get; } = new();
}

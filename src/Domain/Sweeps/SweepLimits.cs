namespace Sweep.Domain.Sweeps;

/// <summary>Guard rails on what one sweep may ask for, and on how much work one project may have waiting.</summary>
public sealed record SweepLimits
{
    public int MaxCells { get; init; } = 10_000;

    public int MaxEpochs { get; init; } = 10_000;

    public int MaxBatchSize { get; init; } = 1 << 20;

    /// <summary>The largest regime multiplier, fixed or as <c>auto</c> resolves it for a cell.</summary>
    public double MaxRegimeMultiplier { get; init; } = 100;

    /// <summary>The most epochs one trial may train: epochs × its regime multiplier, as the plan stretches them.</summary>
    public int MaxTrialEpochs { get; init; } = 10_000;

    /// <summary>
    /// The smallest distanceEveryNSteps other than 0 (per epoch only). Each weight-distance record is a database
    /// write of the worker, so this bounds them to one per that many steps, never one per step.
    /// </summary>
    public int MinDistanceEveryNSteps { get; init; } = 10;

    /// <summary>How many queued trials one project may have; a sweep or extension that would pass it is refused.</summary>
    public int MaxQueuedTrialsPerProject { get; init; } = 50_000;

    public static SweepLimits Default { get; } = new();
}

using Sweep.Domain.Sweeps;

namespace Sweep.Data.Entities;

/// <summary>
/// One grid cell. The row owns the trial's state: Hangfire only carries the id, and a worker takes a lease
/// (owner, expiry) on the row before it trains.
/// </summary>
public sealed class TrialRecord : IGridPosition
{
    public Guid Id { get; set; }

    public Guid SweepId { get; set; }

    public SweepRecord? Sweep { get; set; }

    public int BatchSize { get; set; }

    public int GhostBatchSize { get; set; }

    public double RegimeMultiplier { get; set; }

    public int Seed { get; set; }

    /// <summary>The LR scaling rule of this cell (an optional axis): none, sqrt or linear.</summary>
    public string LrScaling { get; set; } = "sqrt";

    /// <summary>The ghost BN implementation of this cell (an optional axis): vectorized or accumulate.</summary>
    public string GbnImplementation { get; set; } = "vectorized";

    /// <summary>The running-statistics policy of this cell (an optional axis): sequential, mean or recompute.</summary>
    public string RunningStats { get; set; } = "sequential";

    public required string State { get; set; }

    public int Attempt { get; set; }

    /// <summary>-1 low, 0 normal, 1 high: picks the Hangfire queue the trial waits in.</summary>
    public int Priority { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>
    /// The fencing token: every claim increments it, and every write a worker makes for the trial (progress, metrics,
    /// checkpoint, outcome) carries the generation it claimed. A worker that lost its lease, even one whose name is
    /// reused, holds an older generation and changes nothing.
    /// </summary>
    public long LeaseGeneration { get; set; }

    /// <summary>Epochs completed so far, for progress; the plan's total is <see cref="TotalEpochs"/>.</summary>
    public int CurrentEpoch { get; set; }

    public int TotalEpochs { get; set; }

    /// <summary>The resolved trainer configuration (jsonb): learning rate, epochs and drops after scaling.</summary>
    public string? Config { get; set; }

    /// <summary>Where and with what it ran (jsonb): TorchSharp and libtorch versions, device, dataset checksum.</summary>
    public string? Environment { get; set; }

    public string? Error { get; set; }

    /// <summary>Why a failed trial failed: diverged, out-of-memory, error, or lost (its lease ran out too often).</summary>
    public string? FailureKind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public FinalMetrics Final { get; set; } = new();

    /// <summary>The trial's note as Markdown (rendered and sanitized on display); null when none was written.</summary>
    public string? Notes { get; set; }

    /// <summary>
    /// Set by the database, never by the application (ADR 0013): a new value of the sequence
    /// <c>trial_results_versions</c> whenever the trial's results change (its state, cell, final metrics or any of its
    /// metric points), and not when only its lease or priority does. A sweep's trial count and the sum of these values
    /// change with every committed change to its results, so they name a version of the sweep's heatmap.
    /// </summary>
    public long ResultsVersion { get; set; }
}

/// <summary>Final metrics, stored as columns so that lists can filter and order by them.</summary>
public sealed class FinalMetrics
{
    public double? TrainLoss { get; set; }

    public double? TrainAccuracy { get; set; }

    public double? ValLoss { get; set; }

    public double? ValAccuracy { get; set; }

    public double? GeneralizationGap { get; set; }

    public double? WeightDistance { get; set; }

    public long? Steps { get; set; }

    public double? WallSeconds { get; set; }
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Results;

/// <summary>A trial's grid values, state and final metrics: the input of every projection.</summary>
public sealed record TrialResult(TrialCell Cell, string State, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The trial's id, so that a heatmap cell can name the trials it shows.</summary>
    public Guid Id { get; init; }

    /// <summary>
    /// Per metric key, the value after each completed epoch (epoch 0 = before training), in any order. Only the keys a
    /// projection at a point other than <see cref="PointInTime.Final"/> needs are loaded.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochValue>> History { get; init; } = new Dictionary<string, IReadOnlyList<EpochValue>>();

    public double AxisValue(GridAxis axis) => axis switch
    {
        GridAxis.BatchSize => Cell.BatchSize,
        GridAxis.GhostBatchSize => Cell.GhostBatchSize,
        GridAxis.RegimeMultiplier => Cell.RegimeMultiplier,
        GridAxis.Seed => Cell.Seed,
        GridAxis.LrScaling => (int)Cell.LrScaling,
        GridAxis.GbnImplementation => (int)Cell.GbnImplementation,
        GridAxis.RunningStats => (int)Cell.RunningStats,
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };
}

/// <summary>A metric's value after <paramref name="Epoch"/> completed epochs.</summary>
public sealed record EpochValue(int Epoch, double Value);

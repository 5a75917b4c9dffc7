using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Results;

/// <summary>A trial's grid values, state and final metrics: the input of every projection.</summary>
public sealed record TrialResult(TrialCell Cell, string State, IReadOnlyDictionary<string, double> Metrics)
{
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

namespace Sweep.Domain.Sweeps;

/// <summary>
/// Where a trial sits in its sweep's grid: the seven axes, in the order a sweep lists them, and its id to break ties
/// (two trials never share all seven values, but an extension can add a cell a retry already holds).
/// Stored trials, their views and curves implement it, so that <see cref="GridOrder"/> is written once.
/// </summary>
public interface IGridPosition
{
    Guid Id { get; }

    int BatchSize { get; }

    int GhostBatchSize { get; }

    double RegimeMultiplier { get; }

    int Seed { get; }

    string LrScaling { get; }

    string GbnImplementation { get; }

    string RunningStats { get; }
}

using Sweep.Domain.Sweeps;

namespace Sweep.Data.Entities;

/// <summary>Between a trial row and the domain's cell: the categorical axes are stored as their lower-case API names.</summary>
public static class TrialCells
{
    public static TrialCell CellOf(this TrialRecord t) => new(
        t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed,
        Enum.Parse<LrScaling>(t.LrScaling, ignoreCase: true),
        Enum.Parse<GbnImplementation>(t.GbnImplementation, ignoreCase: true),
        Enum.Parse<RunningStatsPolicy>(t.RunningStats, ignoreCase: true));

    public static TrialRecord WithCell(this TrialRecord t, TrialCell cell)
    {
        t.BatchSize = cell.BatchSize;
        t.GhostBatchSize = cell.GhostBatchSize;
        t.RegimeMultiplier = cell.RegimeMultiplier;
        t.Seed = cell.Seed;
        t.LrScaling = Name(cell.LrScaling);
        t.GbnImplementation = Name(cell.GbnImplementation);
        t.RunningStats = Name(cell.RunningStats);
        return t;
    }

    public static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}

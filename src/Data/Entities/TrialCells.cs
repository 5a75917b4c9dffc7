using Sweep.Domain.Sweeps;

namespace Sweep.Data.Entities;

/// <summary>Between a trial row and the domain's cell: the categorical axes are stored as their lower-case API names.</summary>
public static class TrialCells
{
    public static TrialCell CellOf(this TrialRecord t) => new(
        t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed,
        ApiNames.Parse<LrScaling>(t.LrScaling),
        ApiNames.Parse<GbnImplementation>(t.GbnImplementation),
        ApiNames.Parse<RunningStatsPolicy>(t.RunningStats));

    public static TrialRecord WithCell(this TrialRecord t, TrialCell cell)
    {
        t.BatchSize = cell.BatchSize;
        t.GhostBatchSize = cell.GhostBatchSize;
        t.RegimeMultiplier = cell.RegimeMultiplier;
        t.Seed = cell.Seed;
        t.LrScaling = ApiNames.Of(cell.LrScaling);
        t.GbnImplementation = ApiNames.Of(cell.GbnImplementation);
        t.RunningStats = ApiNames.Of(cell.RunningStats);
        return t;
    }
}

namespace Sweep.Domain.Sweeps;

/// <summary>
/// The one grid order: batch size, ghost batch size, regime multiplier, seed, LR scaling, ghost-BN implementation,
/// running statistics, then id. The sweep page, the trial table, curves, exports and archives all list trials so.
/// </summary>
public static class GridOrder
{
    /// <summary>In the database (the query provider translates it) or, through AsQueryable, in memory.</summary>
    public static IOrderedQueryable<T> OrderByGrid<T>(this IQueryable<T> trials)
        where T : IGridPosition =>
        trials.OrderBy(t => t.BatchSize).ThenBy(t => t.GhostBatchSize).ThenBy(t => t.RegimeMultiplier).ThenBy(t => t.Seed)
            .ThenBy(t => t.LrScaling).ThenBy(t => t.GbnImplementation).ThenBy(t => t.RunningStats).ThenBy(t => t.Id);

    /// <summary>The same order for trials already in memory.</summary>
    public static IEnumerable<T> OrderByGrid<T>(this IEnumerable<T> trials)
        where T : IGridPosition =>
        trials.AsQueryable().OrderByGrid();
}

namespace Sweep.Data.Entities;

/// <summary>
/// <see cref="Sweep.Domain.Sweeps.GridOrder"/> for raw SQL over <c>trials t</c> (streamed exports). The grid order
/// test holds the two to the same order on a real database.
/// </summary>
public static class TrialGridSql
{
    /// <summary>The seven grid axes, in grid order.</summary>
    public const string Columns = "t.batch_size, t.ghost_batch_size, t.regime_multiplier, t.seed, t.lr_scaling, t.gbn_implementation, t.running_stats";

    /// <summary>An ORDER BY list: the axes, then the id.</summary>
    public const string Order = Columns + ", t.id";
}

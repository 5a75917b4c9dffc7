using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// One row of a sweep's resolved plan: a grid cell without its seed (seeds share the plan) and the numbers the trainer
/// will use, from <see cref="TrainingPlan.Resolve"/> exactly as the worker calls it, never re-derived here.
/// </summary>
public sealed record CellPlanRow(int BatchSize, int GhostBatchSize, double RegimeMultiplier, LrScaling LrScaling, TrainingPlan Plan)
{
    /// <summary>The training-set size the trainer steps through: the subset when one is set, else the dataset's.</summary>
    public static int TrainSetSize(SweepSpec spec) =>
        spec.Training.TrainSubset ?? Datasets.Find(spec.Dataset)?.TrainSize ?? 0;

    /// <summary>
    /// The plan of each distinct (B, G, r, LR rule) among <paramref name="cells"/> (a sweep's trials, which hold the
    /// resolved regime multipliers), ordered as the trials table. The BN variants do not change the plan.
    /// </summary>
    public static IReadOnlyList<CellPlanRow> For(SweepSpec spec, IEnumerable<TrialCell> cells)
    {
        var trainSize = Math.Max(1, TrainSetSize(spec));
        return cells
            .Select(c => c with { Seed = 0, GbnImplementation = default, RunningStats = default })
            .Distinct()
            .OrderBy(c => c.BatchSize).ThenBy(c => c.GhostBatchSize).ThenBy(c => c.RegimeMultiplier).ThenBy(c => c.LrScaling)
            .Select(c => new CellPlanRow(c.BatchSize, c.GhostBatchSize, c.RegimeMultiplier, c.LrScaling, TrainingPlan.Resolve(c, spec.Training, trainSize)))
            .ToList();
    }
}

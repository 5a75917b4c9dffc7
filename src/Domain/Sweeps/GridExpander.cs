using Sweep.Domain.Catalog;

namespace Sweep.Domain.Sweeps;

public sealed record GridExpansion(IReadOnlyList<TrialCell> Cells, IReadOnlyList<InvalidCell> InvalidCells)
{
    /// <summary>How many grid points were dropped, counting every regime and seed they would have run with.</summary>
    public int SkippedCellCount { get; init; }
}

/// <summary>Turns a grid into the cells that become trials: the Cartesian product, minus invalid (B, G) pairs.</summary>
public static class GridExpander
{
    /// <summary>Counts grid points without materializing them, so that absurd grids are rejected cheaply.</summary>
    public static long CountGridPoints(SweepSpec spec) =>
        (long)Distinct(spec.Grid.BatchSize).Count
        * Distinct(spec.Grid.GhostBatchSize).Count
        * spec.Grid.RegimeMultiplier.Distinct().Count()
        * Distinct(spec.Training.Seeds).Count
        * LrRules(spec).Count * GbnImplementations(spec).Count * RunningStatsPolicies(spec).Count;

    public static List<LrScaling> LrRules(SweepSpec spec) =>
        (spec.Grid.LrScaling is { Count: > 0 } axis ? axis : [spec.Training.LrScaling]).Distinct().ToList();

    public static List<GbnImplementation> GbnImplementations(SweepSpec spec) =>
        (spec.Grid.GbnImplementation is { Count: > 0 } axis ? axis : [spec.Training.GbnImplementation]).Distinct().ToList();

    public static List<RunningStatsPolicy> RunningStatsPolicies(SweepSpec spec) =>
        (spec.Grid.RunningStats is { Count: > 0 } axis ? axis : [spec.Training.RunningStats]).Distinct().ToList();

    public static GridExpansion Expand(SweepSpec spec)
    {
        var batchSizes = Distinct(spec.Grid.BatchSize);
        var ghostSizes = Distinct(spec.Grid.GhostBatchSize);
        var regimes = spec.Grid.RegimeMultiplier.Distinct().ToList();
        var seeds = Distinct(spec.Training.Seeds);
        var variants = (
            from rule in LrRules(spec)
            from gbn in GbnImplementations(spec)
            from stats in RunningStatsPolicies(spec)
            select (rule, gbn, stats)).ToList();

        var bnSpatialSize = SmallestBnSpatialSize(spec);
        var cells = new List<TrialCell>();
        var invalid = new List<InvalidCell>();
        foreach (var batch in batchSizes)
        {
            foreach (var ghost in ghostSizes)
            {
                if (GhostSizeProblem(batch, ghost, bnSpatialSize) is { } reason)
                {
                    invalid.Add(new InvalidCell(batch, ghost, reason));
                    continue;
                }

                foreach (var regime in regimes)
                {
                    var factor = regime.Resolve(batch, AutoRegimeReference(spec.Training, ghost));
                    foreach (var seed in seeds)
                    {
                        foreach (var (rule, gbn, stats) in variants)
                        {
                            cells.Add(new TrialCell(batch, ghost, factor, seed, rule, gbn, stats));
                        }
                    }
                }
            }
        }

        // "auto" and a fixed factor can resolve to the same value for some batch sizes; a cell runs once.
        var unique = cells.Distinct().ToList();
        return new GridExpansion(unique, invalid)
        {
            SkippedCellCount = invalid.Count * regimes.Count * seeds.Count * variants.Count,
        };
    }

    /// <summary>
    /// The batch size an <c>auto</c> regime divides by: B_ref, or the cell's ghost size under
    /// <see cref="LrReference.Ghost"/> (main_gbn.py stretches the regime by B / mini_batch_size, the ghost size).
    /// </summary>
    public static int AutoRegimeReference(TrainingSpec training, int ghostBatchSize) =>
        training.LrReference == LrReference.Ghost ? ghostBatchSize : training.ReferenceBatchSize;

    /// <summary>H·W of the smallest BN layer of the spec's model on its dataset; 1 (the strictest) when either is unknown.</summary>
    public static int SmallestBnSpatialSize(SweepSpec spec) =>
        Models.Find(spec.Model ?? "") is { } model && Datasets.Find(spec.Dataset ?? "") is { } dataset
            ? model.SmallestBnSpatialSize(dataset)
            : 1;

    /// <summary>
    /// Why a ghost batch size cannot split a batch into equal ghost batches that BN can normalize, or null when it
    /// can. A ghost batch needs at least 2 values per channel in every BN layer (G·H·W ≥ 2, H·W the smallest BN
    /// layer's spatial size, 1 for a 1-D BN): with one value its variance is 0 and the layer outputs only its bias.
    /// </summary>
    public static string? GhostSizeProblem(int batchSize, int ghostBatchSize, int bnSpatialSize)
    {
        if (GhostSizeProblem(batchSize, ghostBatchSize) is { } problem)
        {
            return problem;
        }

        var valuesPerChannel = (long)ghostBatchSize * Math.Max(1, bnSpatialSize);
        if (valuesPerChannel < 2)
        {
            return $"ghostBatchSize {ghostBatchSize} gives {valuesPerChannel} value per channel at the model's smallest BN layer (H·W = {Math.Max(1, bnSpatialSize)}); "
                + "BN needs at least 2 values per channel to normalize";
        }

        return null;
    }

    /// <summary>Why a ghost batch size cannot split a batch into equal ghost batches, or null when it can.</summary>
    public static string? GhostSizeProblem(int batchSize, int ghostBatchSize)
    {
        if (batchSize <= 0 || ghostBatchSize <= 0)
        {
            return $"batchSize {batchSize} and ghostBatchSize {ghostBatchSize} must both be positive";
        }

        if (ghostBatchSize > batchSize)
        {
            return $"ghostBatchSize {ghostBatchSize} is larger than batchSize {batchSize}";
        }

        if (batchSize % ghostBatchSize != 0)
        {
            return $"ghostBatchSize {ghostBatchSize} does not divide batchSize {batchSize}";
        }

        return null;
    }

    private static List<int> Distinct(IReadOnlyList<int> values) => values.Distinct().ToList();
}

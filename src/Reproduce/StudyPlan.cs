using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;

namespace Sweep.Reproduce;

/// <summary>What the study runs: its size (full or smoke) and the four sweeps built from it.</summary>
/// <param name="TrainSubset">Training samples drawn once per sweep (same subset for every trial), or null for the whole 60,000-image training set.</param>
/// <param name="Epochs">The base regime's epochs; regime adaptation multiplies them.</param>
/// <param name="LrDropEpochs">Where the base regime drops the learning rate (×0.1 each).</param>
/// <param name="HeatmapRegime1TrainSubset">The regime-1 heatmap's training set (null: all of it), large enough that its largest B makes 100 updates.</param>
/// <param name="HeatmapAutoTrainSubset">The regime-auto heatmap's subset: its cells train up to LB / 128 times longer.</param>
public sealed record StudySize(
    string Label,
    int? TrainSubset,
    int Epochs,
    IReadOnlyList<int> LrDropEpochs,
    int LargeBatch,
    IReadOnlyList<int> TableSeeds,
    IReadOnlyList<int> RunningStatsSeeds,
    IReadOnlyList<int> HeatmapBatchSizes,
    IReadOnlyList<int> HeatmapGhostSizes,
    IReadOnlyList<int> HeatmapSeeds,
    int? HeatmapRegime1TrainSubset,
    int? HeatmapAutoTrainSubset)
{
    /// <summary>The whole Fashion-MNIST training set, when a sweep names no subset.</summary>
    public const int FullTrainingSet = 60_000;

    /// <summary>
    /// About 50 minutes of one worker on 2 CPU cores (49 measured). The whole training set, LB = 2048 (the trainer drops an epoch's ragged
    /// last batch, so LB makes 29 updates an epoch, 174 in the 6 base epochs, and +RA, 16 × longer, 2,784 against SB's
    /// 2,808), drops at epochs 3 and 5, three seeds for every comparison. The heatmaps use B up to 2048 on two seeds:
    /// at regime 1 on the whole training set (so B = 2048 still makes 174 updates), at regime auto on 8,192 images
    /// (its B = 2048 cells train 96 epochs).
    /// </summary>
    public static StudySize Full { get; } = new(
        "full", null, 6, [3, 5], 2048, [1, 2, 3], [1, 2, 3],
        [128, 512, 2048], [32, 128], [1, 2], null, 8192);

    /// <summary>The same pipeline in minutes: one seed, one epoch, two batch sizes.</summary>
    public static StudySize Smoke { get; } = new(
        "smoke", 4096, 1, [], 4096, [1], [1], [128, 512], [32, 128], [1], 4096, 4096);

    /// <summary>Training samples a trial of a sweep with this subset sees per epoch.</summary>
    public static int Samples(int? subset) => subset ?? FullTrainingSet;
}

/// <summary>One sweep of the study, and which of its grid cells belong to the study.</summary>
public sealed record StudySweep(string Key, SweepRequest Request, Func<TrialCellValues, bool> InStudy);

/// <summary>The grid values of a trial, as the API reports them.</summary>
public sealed record TrialCellValues(int BatchSize, int GhostBatchSize, double RegimeMultiplier, string LrScaling, string RunningStats);

public static class StudyPlan
{
    public const string Dataset = "fashion-mnist";
    public const string Model = "f1";
    public const int ReferenceBatch = PaperPresets.ReferenceBatch;

    public static IReadOnlyList<StudySweep> Sweeps(StudySize size) => [Table(size), RunningStats(size), Heatmap(size, auto: false), Heatmap(size, auto: true)];

    /// <summary>
    /// The paper's table: the preset's grid (B × G × regime × LR rule), of which only the five configurations SB, LB,
    /// +LR, +GBN and +RA are trained. The grid is a cross product, so its other cells (for example LB trained 32 ×
    /// longer without the LR fix) are cancelled on creation rather than paid for.
    /// </summary>
    public static StudySweep Table(StudySize size)
    {
        var preset = PaperPresets.Find("hoffer2017-f1-fashion-mnist")!.Request;
        var request = preset with
        {
            Name = $"Reproduction ({size.Label}): F1 on Fashion-MNIST, SB / LB / +LR / +GBN / +RA",
            Grid = preset.Grid with { BatchSize = [ReferenceBatch, size.LargeBatch], GhostBatchSize = [ReferenceBatch, size.LargeBatch] },
            Training = Training(size, size.TableSeeds),
        };

        // At B_ref every LR rule gives η_ref, so SB exists once per LR rule: the study trains the one without scaling.
        return new StudySweep("table", request, cell => Column(cell, size.LargeBatch) switch
        {
            null => false,
            PaperColumn.SmallBatch => cell.LrScaling == ApiNames.Of(LrScaling.None),
            _ => true,
        });
    }

    /// <summary>B = LB, G = 128, +LR: the four running-statistics rules of ghost BN (the paper's Algorithm 1 as printed among them), paired by seed.</summary>
    public static StudySweep RunningStats(StudySize size) => new(
        "running-stats",
        new SweepRequest
        {
            Name = $"Reproduction ({size.Label}): ghost BN running statistics at B = {size.LargeBatch}, G = {ReferenceBatch}",
            Dataset = Dataset,
            Model = Model,
            Grid = new GridSpec
            {
                BatchSize = [size.LargeBatch],
                GhostBatchSize = [ReferenceBatch],
                RunningStats = [RunningStatsPolicy.Sequential, RunningStatsPolicy.Mean, RunningStatsPolicy.Recompute, RunningStatsPolicy.Algorithm1],
            },
            Training = Training(size, size.RunningStatsSeeds),
        },
        _ => true);

    /// <summary>
    /// Batch size × ghost size (the study's ghost sizes and B), one sweep at regime 1 and one at regime auto (a sweep's heatmap
    /// averages over the axes it does not show, and auto resolves to a different factor per B, so each regime gets
    /// its own sweep and its own heatmap). The ghost axis lists every size that is some cell's B, so that G = B
    /// (plain BN) exists for each B; cells with another B's size as G are outside the study and cancelled.
    /// </summary>
    public static StudySweep Heatmap(StudySize size, bool auto)
    {
        var ghosts = size.HeatmapGhostSizes.Union(size.HeatmapBatchSizes).Order().ToList();
        return new StudySweep(
            auto ? "heatmap-auto" : "heatmap-r1",
            new SweepRequest
            {
                Name = $"Reproduction ({size.Label}): batch × ghost batch at regime {(auto ? "auto" : "1")}",
                Dataset = Dataset,
                Model = Model,
                Grid = new GridSpec
                {
                    BatchSize = size.HeatmapBatchSizes,
                    GhostBatchSize = ghosts,
                    RegimeMultiplier = [auto ? RegimeMultiplier.Auto : RegimeMultiplier.Fixed(1)],
                },
                Training = Training(size, size.HeatmapSeeds) with { TrainSubset = auto ? size.HeatmapAutoTrainSubset : size.HeatmapRegime1TrainSubset },
                SkipInvalidCells = true,
            },
            cell => size.HeatmapGhostSizes.Contains(cell.GhostBatchSize) || cell.GhostBatchSize == cell.BatchSize);
    }

    /// <summary>Which of the paper's columns a trial is, or null.</summary>
    public static PaperColumn? Column(TrialCellValues cell, int largeBatch) =>
        PaperConfiguration.Classify(
            new TrialCell(
                cell.BatchSize, cell.GhostBatchSize, cell.RegimeMultiplier, 1,
                ApiNames.Parse<LrScaling>(cell.LrScaling),
                GbnImplementation.Vectorized,
                ApiNames.Parse<RunningStatsPolicy>(cell.RunningStats)),
            ReferenceBatch,
            largeBatch);

    private static TrainingRequest Training(StudySize size, IReadOnlyList<int> seeds) => new()
    {
        ReferenceBatchSize = ReferenceBatch,
        Epochs = size.Epochs,
        LrDropEpochs = size.LrDropEpochs,
        LrDropFactor = 0.1,
        TrainSubset = size.TrainSubset,
        Seeds = seeds,

        // The two clean passes cost about a fifth of an epoch of training; +RA runs LB / 128 times the epochs, so it is
        // measured once per base epoch, like SB, and its time goes into training.
        Evaluation = EvaluationSchedule.EveryBaseEpoch,
    };
}

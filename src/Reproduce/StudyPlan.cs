using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;

namespace Sweep.Reproduce;

/// <summary>What the study runs: its size (full or smoke) and the three sweeps built from it.</summary>
/// <param name="TrainSubset">Training samples drawn once per sweep (same subset for every trial); a multiple of the largest batch.</param>
/// <param name="Epochs">The base regime's epochs; regime adaptation multiplies them.</param>
/// <param name="LrDropEpochs">Where the base regime drops the learning rate (×0.1 each).</param>
/// <param name="HeatmapTrainSubset">The heatmap sweeps' subset: 54 cells (27 per regime), most of them trained up to 32 × longer at regime auto.</param>
public sealed record StudySize(
    string Label,
    int TrainSubset,
    int Epochs,
    IReadOnlyList<int> LrDropEpochs,
    int LargeBatch,
    IReadOnlyList<int> TableSeeds,
    IReadOnlyList<int> RunningStatsSeeds,
    IReadOnlyList<int> HeatmapBatchSizes,
    IReadOnlyList<int> HeatmapGhostSizes,
    int HeatmapTrainSubset)
{
    /// <summary>
    /// About an hour of 2 CPU cores: 8,192 training samples (so B = 4096 makes 2 steps an epoch), 6 base epochs with
    /// drops at 3 and 5. SB makes 384 updates; LB 12; +RA trains 32 × longer and makes 384 again. The heatmaps use
    /// 4,096 samples: their regime-auto sweep alone would otherwise cost more than the rest of the study together.
    /// </summary>
    public static StudySize Full { get; } = new(
        "full", 8192, 6, [3, 5], 4096, [1, 2], [1, 2, 3],
        [128, 256, 512, 1024, 2048, 4096], [32, 64, 128, 256], 4096);

    /// <summary>The same pipeline in minutes: one seed, one epoch, two batch sizes.</summary>
    public static StudySize Smoke { get; } = new(
        "smoke", 4096, 1, [], 4096, [1], [1], [128, 512], [32, 128], 4096);
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

    /// <summary>B = LB, G = 128, +LR: the three running-statistics policies of ghost BN, three seeds each.</summary>
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
                RunningStats = [RunningStatsPolicy.Sequential, RunningStatsPolicy.Mean, RunningStatsPolicy.Recompute],
            },
            Training = Training(size, size.RunningStatsSeeds),
        },
        _ => true);

    /// <summary>
    /// Batch size × ghost size {32, 64, 128, 256, B}, one sweep at regime 1 and one at regime auto (a sweep's heatmap
    /// averages over the axes it does not show, and auto resolves to a different factor per B, so each regime gets
    /// its own sweep and its own heatmap). The ghost axis lists every size that is some cell's B, so that G = B
    /// (plain BN) exists for each B; cells with other G ≥ 512 are outside the study and cancelled.
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
                Training = Training(size, [1]) with { TrainSubset = size.HeatmapTrainSubset },
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

        // On 8,192 samples the two clean passes cost about as much as an epoch of training; +RA runs 32 × the epochs,
        // so it is measured once per base epoch, like SB, and its time goes into training.
        Evaluation = EvaluationSchedule.EveryBaseEpoch,
    };
}

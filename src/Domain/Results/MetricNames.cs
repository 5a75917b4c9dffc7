namespace Sweep.Domain.Results;

/// <summary>The final metrics every completed trial reports (keys as stored and sent by the API).</summary>
public static class MetricNames
{
    public const string TrainLoss = "trainLoss";
    public const string TrainAccuracy = "trainAccuracy";
    public const string ValLoss = "valLoss";
    public const string ValAccuracy = "valAccuracy";
    public const string GeneralizationGap = "generalizationGap";
    public const string WeightDistance = "weightDistance";
    public const string Steps = "steps";
    public const string WallSeconds = "wallSeconds";

    /// <summary>Accuracy over the epoch's training steps, in train mode (batch statistics, augmentation): recorded per epoch.</summary>
    public const string RunningTrainAccuracy = "runningTrainAccuracy";

    /// <summary>
    /// Guard: the weight (1 − m)^u that the initial running statistics (mean 0, variance 1) still hold in the buffers
    /// evaluation uses, the largest over the BN layers; 0 when evaluation uses recomputed statistics.
    /// </summary>
    public const string RunningStatsInitialWeight = "runningStatsInitialWeight";

    /// <summary>Guard: running train accuracy (train mode) minus clean train accuracy (eval mode), in the same epoch.</summary>
    public const string TrainEvalModeDelta = "trainEvalModeDelta";

    /// <summary>Resource use: the trainer process's peak resident memory so far, in MiB (the kernel's high-water mark), per epoch.</summary>
    public const string PeakRssMiB = "peakRssMiB";

    /// <summary>Resource use: CPU seconds the trainer process has used so far (all its threads), per epoch.</summary>
    public const string CpuSeconds = "cpuSeconds";

    /// <summary>Training samples per second over the epoch's steps.</summary>
    public const string SamplesPerSecond = "samplesPerSecond";

    /// <summary>Keys that measure the machine, not the training: they differ between any two runs of the same trial.</summary>
    public static IReadOnlyList<string> Measured { get; } = [WallSeconds, SamplesPerSecond, PeakRssMiB, CpuSeconds];

    /// <summary>1 − validation accuracy.</summary>
    public const string ValError = "valError";

    /// <summary>The paper's generalization gap: the baseline cell's validation accuracy minus this cell's.</summary>
    public const string GapToBaseline = "gapToBaseline";

    public static IReadOnlyList<string> Final { get; } =
        [TrainLoss, TrainAccuracy, ValLoss, ValAccuracy, GeneralizationGap, WeightDistance, Steps, WallSeconds];

    /// <summary>The final metrics and those derived from them: every one orders a trial list; <see cref="Heatmap"/> adds the resource metrics.</summary>
    public static IReadOnlyList<string> Plottable { get; } = [ValAccuracy, ValError, GapToBaseline, GeneralizationGap, TrainAccuracy, ValLoss, TrainLoss, WeightDistance, Steps, WallSeconds];

    /// <summary>
    /// Plottable metrics without a final column: recorded every epoch, their final value is the latest one recorded
    /// (the trainer's peak memory and CPU time so far, which only grow).
    /// </summary>
    public static IReadOnlyList<string> LatestIsFinal { get; } = [PeakRssMiB, CpuSeconds];

    /// <summary>
    /// Every metric a heatmap can show: <see cref="Plottable"/> and the trainer's resource use, which has no final
    /// column to order a trial list by (see <see cref="LatestIsFinal"/>).
    /// </summary>
    public static IReadOnlyList<string> Heatmap { get; } = [.. Plottable, .. LatestIsFinal];

    public static bool IsKnown(string name) => Heatmap.Contains(name);

    /// <summary>Gaps are signed: their colour scale diverges around 0.</summary>
    public static bool IsGap(string name) => name is GeneralizationGap or GapToBaseline;

    /// <summary>The recorded key a plottable metric is read from: validation error and the paper's gap derive from validation accuracy.</summary>
    public static string SourceKey(string name) => name is ValError or GapToBaseline ? ValAccuracy : name;

    /// <summary>
    /// Which way "best" points for a metric's recorded key: true where higher is better (accuracies), false where lower
    /// is (losses, and the within-run gap), null where no direction is better (distance, steps, time).
    /// </summary>
    public static bool? HigherIsBetter(string name) => SourceKey(name) switch
    {
        ValAccuracy or TrainAccuracy => true,
        ValLoss or TrainLoss or GeneralizationGap => false,
        _ => null,
    };

    /// <summary>True when "best" means something for the metric; see <see cref="HigherIsBetter"/>.</summary>
    public static bool HasBest(string name) => HigherIsBetter(name) is not null;
}

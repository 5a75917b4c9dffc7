using System.Text.Json.Serialization;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Jobs.Engine;

/// <summary>
/// Everything one training run needs, already resolved: the learning rate after batch-size scaling and the
/// epochs, warmup and drops after regime adaptation. The trainer never looks anything up in the database.
/// </summary>
public sealed record TrainerConfig
{
    public required string Dataset { get; init; }

    public required string Model { get; init; }

    /// <summary>A folder that holds the dataset's files; null searches the default places.</summary>
    public string? DataDir { get; init; }

    public required int BatchSize { get; init; }

    public required int GhostBatchSize { get; init; }

    public GbnImplementation GbnImplementation { get; init; } = GbnImplementation.Vectorized;

    public RunningStatsPolicy RunningStats { get; init; } = RunningStatsPolicy.Sequential;

    public required int Epochs { get; init; }

    /// <summary>The scaled peak learning rate.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Linear warmup from <see cref="WarmupStartLearningRate"/> to the peak over this many epochs.</summary>
    public double WarmupEpochs { get; init; }

    public double WarmupStartLearningRate { get; init; }

    public IReadOnlyList<LrDrop> LrDrops { get; init; } = [];

    public LastBatchPolicy LastBatch { get; init; } = LastBatchPolicy.Drop;

    public RaggedChunks RaggedChunks { get; init; } = RaggedChunks.Remainder;

    /// <summary>The BN statistics evaluation uses: the running ones, or recomputed before each evaluation.</summary>
    public EvalStatistics EvalStatistics { get; init; } = EvalStatistics.Running;

    /// <summary>Epochs at whose start the SGD optimizer is re-created, resetting its momentum buffers.</summary>
    public IReadOnlyList<int> MomentumResetEpochs { get; init; } = [];

    /// <summary>Also record ‖w − w0‖ at <see cref="GeometricSchedule"/>'s steps.</summary>
    public bool DistanceGeometric { get; init; } = true;

    /// <summary>The most batches the gradient noise scale averages over (fewer when an epoch holds fewer).</summary>
    public int NoiseScaleBatches { get; init; } = 32;

    public bool MnistPadCrop { get; init; }

    public bool GradientNoiseScale { get; init; }

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    public double? GradientClipNorm { get; init; } = 5.0;

    public int Seed { get; init; } = 1;

    public int? TrainSubset { get; init; }

    /// <summary>The subset is drawn with its own fixed seed, so every trial of a sweep sees the same samples.</summary>
    public int SubsetSeed { get; init; }

    /// <summary>Also record ‖w − w0‖ every this many steps (0: only per epoch), for the log(steps) plot.</summary>
    public int DistanceEveryNSteps { get; init; } = 10;

    /// <summary>BatchNorm's EMA momentum, as in PyTorch (the new statistic's weight).</summary>
    public double BnMomentum { get; init; } = 0.1;

    public double BnEpsilon { get; init; } = 1e-5;

    /// <summary>Rows per forward pass of the clean evaluation (see <see cref="CleanEvaluation.BatchSize"/> for why 1,000).</summary>
    public int EvalBatchSize { get; init; } = CleanEvaluation.BatchSize;

    /// <summary>Measure clean train and validation metrics every this many epochs (and always after the last).</summary>
    public int EvaluateEveryEpochs { get; init; } = 1;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch's intra-op threads for this process (the worker's TrainerThreads); null keeps libtorch's default.</summary>
    public int? Threads { get; init; }

    /// <summary>Where to write the checkpoint (see <see cref="CheckpointEveryEpochs"/>); null writes none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Write the checkpoint after every this many epochs, never after the last: a trial that completes has no use
    /// for it, and one that fails in its last epoch resumes from the one before.
    /// </summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>A checkpoint to resume from; training continues at the epoch after the one it holds.</summary>
    public string? ResumeFrom { get; init; }

    [JsonIgnore]
    public LearningRateSchedule Schedule => new(LearningRate, WarmupEpochs > 0 ? WarmupStartLearningRate : LearningRate, WarmupEpochs, LrDrops);
}

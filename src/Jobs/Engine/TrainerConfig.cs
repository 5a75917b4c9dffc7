namespace Sweep.Jobs.Engine;

/// <summary>
/// Everything one training run needs, already resolved: the learning rate after batch-size scaling and the
/// epochs after regime adaptation. The trainer never looks anything up in the database.
/// </summary>
public sealed record TrainerConfig
{
    public required string Dataset { get; init; }

    public required string Model { get; init; }

    /// <summary>A folder that holds the dataset's files; null searches the default places.</summary>
    public string? DataDir { get; init; }

    public required int BatchSize { get; init; }

    public required int GhostBatchSize { get; init; }

    public GhostBatchNormImplementation GbnImplementation { get; init; } = GhostBatchNormImplementation.Vectorized;

    public RunningStatsPolicy RunningStats { get; init; } = RunningStatsPolicy.Sequential;

    public required int Epochs { get; init; }

    public required double LearningRate { get; init; }

    public IReadOnlyList<int> LrDropEpochs { get; init; } = [];

    public double LrDropFactor { get; init; } = 0.1;

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

    public int EvalBatchSize { get; init; } = 1000;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";
}

public enum GhostBatchNormImplementation
{
    /// <summary>One BN call over all ghost batches of a step, on a reshaped view.</summary>
    Vectorized,

    /// <summary>The reference code's method: forward and backward per ghost batch, one optimizer step.</summary>
    Accumulate,
}

public enum RunningStatsPolicy
{
    /// <summary>One EMA update per ghost batch, in order, as bigBatch does.</summary>
    Sequential,

    /// <summary>Average the ghost batches' statistics, then one EMA update (TensorFlow's virtual_batch_size).</summary>
    Mean,
}

namespace Sweep.Domain.Sweeps;

/// <summary>What a user asks for: a grid over batch size × ghost batch size × regime multiplier, plus fixed settings.</summary>
public sealed record SweepSpec
{
    public required string Name { get; init; }

    public string Dataset { get; init; } = "fashion-mnist";

    public string Model { get; init; } = "f1";

    public required GridSpec Grid { get; init; }

    public TrainingSpec Training { get; init; } = new();

    /// <summary>Skip grid cells whose ghost batch size does not fit their batch size instead of rejecting the sweep.</summary>
    public bool SkipInvalidCells { get; init; }
}

public sealed record GridSpec
{
    public IReadOnlyList<int> BatchSize { get; init; } = [];

    public IReadOnlyList<int> GhostBatchSize { get; init; } = [];

    public IReadOnlyList<RegimeMultiplier> RegimeMultiplier { get; init; } = [Sweeps.RegimeMultiplier.Fixed(1)];
}

/// <summary>The fixed settings shared by every cell. Defaults are the paper's F1 regime (bigBatch's mnist_f1).</summary>
public sealed record TrainingSpec
{
    public int Epochs { get; init; } = 50;

    /// <summary>η_ref: the learning rate at the reference batch size.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>B_ref: the batch size that <see cref="LearningRate"/> and the regime refer to.</summary>
    public int ReferenceBatchSize { get; init; } = 128;

    public LrScaling LrScaling { get; init; } = LrScaling.Sqrt;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Epochs (of the reference regime) at which the learning rate is multiplied by <see cref="LrDropFactor"/>.</summary>
    public IReadOnlyList<int> LrDropEpochs { get; init; } = [10, 20, 30];

    public double LrDropFactor { get; init; } = 0.1;

    /// <summary>Gradient-norm clipping threshold; null turns clipping off. The paper's code clips at 5.</summary>
    public double? GradientClipNorm { get; init; } = 5.0;

    public IReadOnlyList<int> Seeds { get; init; } = [1];

    /// <summary>Train on a fixed, seeded subset of this many samples (for tests and quick demos); null uses the full set.</summary>
    public int? TrainSubset { get; init; }
}

public enum LrScaling
{
    None,
    Sqrt,
    Linear,
}

namespace Sweep.Domain.Sweeps;

/// <summary>
/// A sweep with every setting explicit: a grid over batch size × ghost batch size × regime multiplier, plus fixed
/// settings. This is what is stored and what trials are resolved from; requests become specs through
/// <see cref="SweepRequest.ToSpec"/>, which fills in the model's reference regime.
/// </summary>
public sealed record SweepSpec
{
    public required string Name { get; init; }

    public string Dataset { get; init; } = "fashion-mnist";

    public string Model { get; init; } = "f1";

    public required GridSpec Grid { get; init; }

    public TrainingSpec Training { get; init; } = new();

    /// <summary>Skip grid cells whose ghost batch size does not fit their batch size (or is too small for BN to normalize) instead of rejecting the sweep.</summary>
    public bool SkipInvalidCells { get; init; }

    /// <summary>Which workers may run it: any, cpu or cuda.</summary>
    public string Device { get; init; } = "any";

    /// <summary>How many times a trial may be started before a lost worker fails it for good.</summary>
    public int MaxAttempts { get; init; } = 3;
}

public sealed record GridSpec
{
    public IReadOnlyList<int> BatchSize { get; init; } = [];

    public IReadOnlyList<int> GhostBatchSize { get; init; } = [];

    public IReadOnlyList<RegimeMultiplier> RegimeMultiplier { get; init; } = [Sweeps.RegimeMultiplier.Fixed(1)];

    /// <summary>Optional axis: LR scaling rules to compare; null uses <see cref="TrainingSpec.LrScaling"/>.</summary>
    public IReadOnlyList<LrScaling>? LrScaling { get; init; }

    /// <summary>Optional axis: ghost BN implementations to compare; null uses <see cref="TrainingSpec.GbnImplementation"/>.</summary>
    public IReadOnlyList<GbnImplementation>? GbnImplementation { get; init; }

    /// <summary>Optional axis: running-statistics policies to compare; null uses <see cref="TrainingSpec.RunningStats"/>.</summary>
    public IReadOnlyList<RunningStatsPolicy>? RunningStats { get; init; }
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

    /// <summary>Linear warmup from η_ref to the scaled rate over this many epochs (Goyal et al.); 0 is off.</summary>
    public double WarmupEpochs { get; init; }

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Epochs (of the reference regime) at which the learning rate is multiplied by a drop factor.</summary>
    public IReadOnlyList<int> LrDropEpochs { get; init; } = [10, 20, 30];

    /// <summary>The multiplier at every drop, unless <see cref="LrDropFactors"/> gives one per drop.</summary>
    public double LrDropFactor { get; init; } = 0.1;

    /// <summary>One multiplier per drop epoch, for regimes whose steps differ (CIFAR's shallow nets raise the LR first).</summary>
    public IReadOnlyList<double>? LrDropFactors { get; init; }

    /// <summary>Gradient-norm clipping threshold; null turns clipping off. The paper's code clips at 5.</summary>
    public double? GradientClipNorm { get; init; } = 5.0;

    public IReadOnlyList<int> Seeds { get; init; } = [1];

    /// <summary>Train on a fixed, seeded subset of this many samples (for tests and quick demos); null uses the full set.</summary>
    public int? TrainSubset { get; init; }

    public GbnImplementation GbnImplementation { get; init; } = GbnImplementation.Vectorized;

    public RunningStatsPolicy RunningStats { get; init; } = RunningStatsPolicy.Sequential;

    /// <summary>What happens to the last batch of an epoch when B does not divide the training set.</summary>
    public LastBatchPolicy LastBatch { get; init; } = LastBatchPolicy.Drop;

    /// <summary>bigBatch's MNIST augmentation: pad 2, crop 28 at random, flip horizontally. CIFAR always uses pad 4, crop 32, flip.</summary>
    public bool MnistPadCrop { get; init; }

    /// <summary>Also record ‖w − w0‖ every this many steps (0: per epoch only), for the log(steps) plot.</summary>
    public int DistanceEveryNSteps { get; init; } = 10;

    /// <summary>
    /// Save a checkpoint every this many epochs (the latest one is kept, to resume from). A larger value writes less
    /// to the database and loses more work when a worker dies; a completed trial needs no final one.
    /// </summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>Estimate the gradient noise scale B_simple once per epoch (McCandlish et al.); costs one extra pass.</summary>
    public bool GradientNoiseScale { get; init; }

    /// <summary>BatchNorm's EMA momentum, as in PyTorch.</summary>
    public double BnMomentum { get; init; } = 0.1;

    /// <summary>When the clean train and validation passes run; the last epoch is always measured.</summary>
    public EvaluationSchedule Evaluation { get; init; } = EvaluationSchedule.EveryEpoch;

    /// <summary>
    /// Which BN statistics evaluation uses, for every cell (plain BN included): the running statistics that training
    /// left, or exact population statistics re-estimated over the training data before each evaluation.
    /// <see cref="RunningStats"/> stays the training-time rule.
    /// </summary>
    public EvalStatistics EvalStatistics { get; init; } = EvalStatistics.Running;

    /// <summary>The batch size that LR scaling and <c>auto</c> regimes divide by: B_ref (fixed) or the cell's G (main_gbn.py).</summary>
    public LrReference LrReference { get; init; } = LrReference.Fixed;

    /// <summary>Epochs (of the reference regime) at which the optimizer is re-created, resetting momentum; stretched by the regime.</summary>
    public IReadOnlyList<int> MomentumResetEpochs { get; init; } = [];

    /// <summary>Whether regime adaptation stretches the warmup like the epochs, or keeps its length (Goyal et al.).</summary>
    public WarmupUnderRegime WarmupUnderRegime { get; init; } = WarmupUnderRegime.Stretch;

    /// <summary>How a batch that G does not divide is split into ghost batches.</summary>
    public RaggedChunks RaggedChunks { get; init; } = RaggedChunks.Remainder;

    /// <summary>Also record ‖w − w0‖ at geometrically spaced steps (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, …), so that short runs still give a curve.</summary>
    public bool DistanceGeometric { get; init; } = true;

    /// <summary>The factor applied at drop <paramref name="index"/>.</summary>
    public double DropFactorAt(int index) =>
        LrDropFactors is { } factors && index < factors.Count ? factors[index] : LrDropFactor;
}

/// <summary>
/// How often a trial measures clean train and validation metrics. A regime-adapted trial runs r times the epochs on
/// the same data; measuring once per base epoch keeps its curves as dense as the reference's, and its cost bounded:
/// on a small training subset the two evaluation passes can cost more than the epoch's training.
/// </summary>
public enum EvaluationSchedule
{
    /// <summary>After every epoch.</summary>
    EveryEpoch,

    /// <summary>After every r epochs (r the cell's regime multiplier, rounded), i.e. once per epoch of the base regime.</summary>
    EveryBaseEpoch,
}

public enum LrScaling
{
    None,
    Sqrt,
    Linear,
}

public enum GbnImplementation
{
    /// <summary>One BN call over all ghost batches of a step, on a reshaped view.</summary>
    Vectorized,

    /// <summary>bigBatch's method: forward and backward per ghost batch, gradients accumulated, one optimizer step.</summary>
    Accumulate,
}

public enum RunningStatsPolicy
{
    /// <summary>One EMA update per ghost batch, in order, as bigBatch does.</summary>
    Sequential,

    /// <summary>Average the ghost batches' statistics, then one EMA update (TensorFlow's virtual_batch_size).</summary>
    Mean,

    /// <summary>After training, re-estimate the statistics with a pass over the training data in ghost-sized chunks.</summary>
    Recompute,

    /// <summary>
    /// The paper's Algorithm 1 as printed: per large batch, μ ← (1 − η)^|B_S|·μ + Σ_i (1 − η)^i·η·μ_B^i over its
    /// ghost batches, and the same for σ (the standard deviation, not the variance).
    /// </summary>
    Algorithm1,
}

/// <summary>The BN statistics that evaluation uses.</summary>
public enum EvalStatistics
{
    /// <summary>The running statistics as training left them.</summary>
    Running,

    /// <summary>Exact population statistics, re-estimated over the training data in eval-sized chunks before each evaluation; the running ones are restored afterwards.</summary>
    Recompute,
}

/// <summary>What the batch-size ratio of LR scaling and of <c>auto</c> regimes refers to.</summary>
public enum LrReference
{
    /// <summary>B / B_ref, with the sweep's <see cref="TrainingSpec.ReferenceBatchSize"/>.</summary>
    Fixed,

    /// <summary>B / G: bigBatch's main_gbn.py, whose mini_batch_size is the ghost size. Every G gets its own rate.</summary>
    Ghost,
}

/// <summary>What regime adaptation does to warmup.</summary>
public enum WarmupUnderRegime
{
    /// <summary>Multiplied by the regime multiplier, like the epochs and drops.</summary>
    Stretch,

    /// <summary>The same number of epochs in every cell (Goyal et al.).</summary>
    Fixed,
}

/// <summary>How a batch of n samples that G does not divide is split into ghost batches.</summary>
public enum RaggedChunks
{
    /// <summary>floor(n / G) ghost batches of G plus one smaller remainder (a one-sample remainder joins the previous ghost batch).</summary>
    Remainder,

    /// <summary>ceil(n / G) near-equal chunks, as bigBatch's torch.chunk-style split does.</summary>
    Equal,
}

public enum LastBatchPolicy
{
    /// <summary>Drop the ragged last batch: every step has B samples and B/G equal ghost batches.</summary>
    Drop,

    /// <summary>Keep it, split into ghost batches of G plus one smaller remainder.</summary>
    Keep,
}

using Sweep.Domain.Catalog;

namespace Sweep.Domain.Sweeps;

/// <summary>
/// A sweep as a client sends it: regime settings left out come from the model's reference regime
/// (<see cref="ModelInfo.Regime"/>), everything else from <see cref="TrainingSpec"/>'s defaults.
/// </summary>
public sealed record SweepRequest
{
    public required string Name { get; init; }

    public string Dataset { get; init; } = "fashion-mnist";

    public string Model { get; init; } = "f1";

    public required GridSpec Grid { get; init; }

    public TrainingRequest? Training { get; init; }

    public bool SkipInvalidCells { get; init; }

    public string? Device { get; init; }

    public int? MaxAttempts { get; init; }

    /// <summary>The project (id or slug) the sweep goes to; none means the default project. Not part of the spec.</summary>
    public string? Project { get; init; }

    /// <summary>Labels to find the sweep by (<see cref="SweepTags"/>); not part of the spec, and changeable later.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The explicit spec. An unknown model resolves with F1's regime; the validator reports the model.</summary>
    public SweepSpec ToSpec()
    {
        var regime = (Models.Find(Model ?? "") ?? Models.F1).Regime;
        var t = Training ?? new TrainingRequest();
        var defaults = new TrainingSpec();
        var dropEpochs = t.LrDropEpochs ?? regime.LrDropEpochs;

        // A request that names its own drop epochs but no factors means one factor for all of them.
        var dropFactors = t.LrDropFactors
            ?? (t.LrDropEpochs is null && t.LrDropFactor is null && regime.LrDropFactors.Distinct().Count() > 1 ? regime.LrDropFactors : null);
        return new SweepSpec
        {
            Name = Name,
            Dataset = Dataset,
            Model = Model ?? "",
            Grid = Grid,
            SkipInvalidCells = SkipInvalidCells,
            Device = Device ?? "any",
            MaxAttempts = MaxAttempts ?? 3,
            Training = new TrainingSpec
            {
                Epochs = t.Epochs ?? regime.Epochs,
                LearningRate = t.LearningRate ?? regime.LearningRate,
                ReferenceBatchSize = t.ReferenceBatchSize ?? defaults.ReferenceBatchSize,
                LrScaling = t.LrScaling ?? defaults.LrScaling,
                WarmupEpochs = t.WarmupEpochs ?? defaults.WarmupEpochs,
                Momentum = t.Momentum ?? regime.Momentum,
                WeightDecay = t.WeightDecay ?? regime.WeightDecay,
                LrDropEpochs = dropEpochs,
                LrDropFactor = t.LrDropFactor ?? (regime.LrDropFactors.Count > 0 ? regime.LrDropFactors[0] : defaults.LrDropFactor),
                LrDropFactors = dropFactors,
                GradientClipNorm = t.GradientClipNormSet ? t.GradientClipNorm : defaults.GradientClipNorm,
                Seeds = t.Seeds ?? defaults.Seeds,
                TrainSubset = t.TrainSubset,
                GbnImplementation = t.GbnImplementation ?? defaults.GbnImplementation,
                RunningStats = t.RunningStats ?? defaults.RunningStats,
                LastBatch = t.LastBatch ?? defaults.LastBatch,
                MnistPadCrop = t.MnistPadCrop ?? defaults.MnistPadCrop,
                DistanceEveryNSteps = t.DistanceEveryNSteps ?? defaults.DistanceEveryNSteps,
                CheckpointEveryEpochs = t.CheckpointEveryEpochs ?? defaults.CheckpointEveryEpochs,
                GradientNoiseScale = t.GradientNoiseScale ?? defaults.GradientNoiseScale,
                BnMomentum = t.BnMomentum ?? defaults.BnMomentum,
                Evaluation = t.Evaluation ?? defaults.Evaluation,
                EvalStatistics = t.EvalStatistics ?? defaults.EvalStatistics,
                LrReference = t.LrReference ?? defaults.LrReference,
                MomentumResetEpochs = t.MomentumResetEpochs ?? regime.MomentumResetEpochs,
                WarmupUnderRegime = t.WarmupUnderRegime ?? defaults.WarmupUnderRegime,
                RaggedChunks = t.RaggedChunks ?? defaults.RaggedChunks,
                DistanceGeometric = t.DistanceGeometric ?? defaults.DistanceGeometric,
            },
        };
    }
}

/// <summary>Training settings as sent: every field optional.</summary>
public sealed record TrainingRequest
{
    private readonly double? _gradientClipNorm;

    public int? Epochs { get; init; }

    public double? LearningRate { get; init; }

    public int? ReferenceBatchSize { get; init; }

    public LrScaling? LrScaling { get; init; }

    public double? WarmupEpochs { get; init; }

    public double? Momentum { get; init; }

    public double? WeightDecay { get; init; }

    public IReadOnlyList<int>? LrDropEpochs { get; init; }

    public double? LrDropFactor { get; init; }

    public IReadOnlyList<double>? LrDropFactors { get; init; }

    /// <summary>null in the body turns clipping off; leaving the field out keeps the paper's 5.</summary>
    public double? GradientClipNorm
    {
        get => _gradientClipNorm;
        init
        {
            _gradientClipNorm = value;
            GradientClipNormSet = true;
        }
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool GradientClipNormSet { get; private init; }

    public IReadOnlyList<int>? Seeds { get; init; }

    public int? TrainSubset { get; init; }

    public GbnImplementation? GbnImplementation { get; init; }

    public RunningStatsPolicy? RunningStats { get; init; }

    public LastBatchPolicy? LastBatch { get; init; }

    public bool? MnistPadCrop { get; init; }

    public int? DistanceEveryNSteps { get; init; }

    public int? CheckpointEveryEpochs { get; init; }

    public bool? GradientNoiseScale { get; init; }

    public double? BnMomentum { get; init; }

    public EvaluationSchedule? Evaluation { get; init; }

    public EvalStatistics? EvalStatistics { get; init; }

    public LrReference? LrReference { get; init; }

    public IReadOnlyList<int>? MomentumResetEpochs { get; init; }

    public WarmupUnderRegime? WarmupUnderRegime { get; init; }

    public RaggedChunks? RaggedChunks { get; init; }

    public bool? DistanceGeometric { get; init; }
}

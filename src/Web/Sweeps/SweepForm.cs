using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;
using static Sweep.Web.Sweeps.FormText;

namespace Sweep.Web.Sweeps;

/// <summary>
/// What the sweep builder's inputs hold: numbers and lists as the text the user typed, so that "12a" can be
/// reported next to its input instead of being lost. <see cref="Evaluate"/> turns it into a spec, the parse errors,
/// the validator's errors and the grid's cells, all keyed by the spec's JSON paths.
/// </summary>
public sealed class SweepForm
{
    public string Name { get; set; } = "";

    public string Dataset { get; set; } = "fashion-mnist";

    public string Model { get; set; } = "f1";

    public string Device { get; set; } = "any";

    public string MaxAttempts { get; set; } = "3";

    public bool SkipInvalidCells { get; set; }

    public string BatchSizes { get; set; } = "";

    public string GhostBatchSizes { get; set; } = "";

    public string RegimeMultipliers { get; set; } = "1";

    /// <summary>LR scaling rules swept as an axis; empty means every cell uses <see cref="LrScaling"/>.</summary>
    public HashSet<LrScaling> LrScalingAxis { get; set; } = [];

    public HashSet<GbnImplementation> GbnImplementationAxis { get; set; } = [];

    public HashSet<RunningStatsPolicy> RunningStatsAxis { get; set; } = [];

    public string Epochs { get; set; } = "";

    public string LearningRate { get; set; } = "";

    public string ReferenceBatchSize { get; set; } = "";

    public LrScaling LrScaling { get; set; } = LrScaling.Sqrt;

    public string WarmupEpochs { get; set; } = "0";

    public string Momentum { get; set; } = "";

    public string WeightDecay { get; set; } = "";

    public string LrDropEpochs { get; set; } = "";

    public string LrDropFactor { get; set; } = "";

    /// <summary>One factor per drop epoch; blank applies <see cref="LrDropFactor"/> at every drop.</summary>
    public string LrDropFactors { get; set; } = "";

    /// <summary>Blank turns clipping off.</summary>
    public string GradientClipNorm { get; set; } = "";

    public string Seeds { get; set; } = "1";

    /// <summary>Blank trains on the full set.</summary>
    public string TrainSubset { get; set; } = "";

    public GbnImplementation GbnImplementation { get; set; }

    public RunningStatsPolicy RunningStats { get; set; }

    public LastBatchPolicy LastBatch { get; set; }

    public EvaluationSchedule Evaluation { get; set; }

    public bool MnistPadCrop { get; set; }

    public string DistanceEveryNSteps { get; set; } = "";

    public string CheckpointEveryEpochs { get; set; } = "";

    public bool GradientNoiseScale { get; set; }

    public string BnMomentum { get; set; } = "";

    public EvalStatistics EvalStatistics { get; set; }

    public LrReference LrReference { get; set; }

    public WarmupUnderRegime WarmupUnderRegime { get; set; }

    public RaggedChunks RaggedChunks { get; set; }

    /// <summary>Epochs of the reference regime at which momentum resets; blank for none.</summary>
    public string MomentumResetEpochs { get; set; } = "";

    public bool DistanceGeometric { get; set; } = true;

    /// <summary>The builder's starting point: F1 on Fashion-MNIST, SB against a 4096 batch, with the paper's defaults.</summary>
    public static SweepForm Default() => FromSpec(new SweepRequest
    {
        Name = "",
        Grid = new GridSpec
        {
            BatchSize = [128, 4096],
            GhostBatchSize = [128],
            RegimeMultiplier = [RegimeMultiplier.Fixed(1), RegimeMultiplier.Auto],
        },
    }.ToSpec());

    public static SweepForm FromSpec(SweepSpec spec)
    {
        var t = spec.Training;
        return new SweepForm
        {
            Name = spec.Name,
            Dataset = spec.Dataset,
            Model = spec.Model,
            Device = spec.Device,
            MaxAttempts = Format(spec.MaxAttempts),
            SkipInvalidCells = spec.SkipInvalidCells,
            BatchSizes = List(spec.Grid.BatchSize),
            GhostBatchSizes = List(spec.Grid.GhostBatchSize),
            RegimeMultipliers = string.Join(", ", spec.Grid.RegimeMultiplier.Select(r => r.ToString())),
            LrScalingAxis = [.. spec.Grid.LrScaling ?? []],
            GbnImplementationAxis = [.. spec.Grid.GbnImplementation ?? []],
            RunningStatsAxis = [.. spec.Grid.RunningStats ?? []],
            Epochs = Format(t.Epochs),
            LearningRate = Format(t.LearningRate),
            ReferenceBatchSize = Format(t.ReferenceBatchSize),
            LrScaling = t.LrScaling,
            WarmupEpochs = Format(t.WarmupEpochs),
            Momentum = Format(t.Momentum),
            WeightDecay = Format(t.WeightDecay),
            LrDropEpochs = List(t.LrDropEpochs),
            LrDropFactor = Format(t.LrDropFactor),
            LrDropFactors = t.LrDropFactors is { } factors ? List(factors) : "",
            GradientClipNorm = t.GradientClipNorm is { } clip ? Format(clip) : "",
            Seeds = List(t.Seeds),
            TrainSubset = t.TrainSubset is { } subset ? Format(subset) : "",
            GbnImplementation = t.GbnImplementation,
            RunningStats = t.RunningStats,
            LastBatch = t.LastBatch,
            Evaluation = t.Evaluation,
            MnistPadCrop = t.MnistPadCrop,
            DistanceEveryNSteps = Format(t.DistanceEveryNSteps),
            CheckpointEveryEpochs = Format(t.CheckpointEveryEpochs),
            GradientNoiseScale = t.GradientNoiseScale,
            BnMomentum = Format(t.BnMomentum),
            EvalStatistics = t.EvalStatistics,
            LrReference = t.LrReference,
            WarmupUnderRegime = t.WarmupUnderRegime,
            RaggedChunks = t.RaggedChunks,
            MomentumResetEpochs = List(t.MomentumResetEpochs),
            DistanceGeometric = t.DistanceGeometric,
        };
    }

    /// <summary>
    /// Refills the regime settings (epochs, LR, momentum, weight decay, LR drops) with <see cref="Model"/>'s reference
    /// regime, and picks the model's first dataset when the current one does not fit it.
    /// </summary>
    public void ApplyModelRegime()
    {
        if (Models.Find(Model) is not { } model)
        {
            return;
        }

        if (!model.Datasets.Contains(Dataset))
        {
            Dataset = model.Datasets[0];
        }

        var t = new SweepRequest { Name = "", Model = model.Name, Dataset = Dataset, Grid = new GridSpec() }.ToSpec().Training;
        Epochs = Format(t.Epochs);
        LearningRate = Format(t.LearningRate);
        Momentum = Format(t.Momentum);
        WeightDecay = Format(t.WeightDecay);
        LrDropEpochs = List(t.LrDropEpochs);
        LrDropFactor = Format(t.LrDropFactor);
        LrDropFactors = t.LrDropFactors is { } factors ? List(factors) : "";
        MomentumResetEpochs = List(t.MomentumResetEpochs);
    }

    /// <summary>Parses, validates and expands the form. Pure: no database, no clock.</summary>
    public SweepFormState Evaluate(SweepLimits limits)
    {
        var parse = new Dictionary<string, List<string>>();
        var defaults = new TrainingSpec();
        var spec = new SweepSpec
        {
            Name = Name,
            Dataset = Dataset,
            Model = Model,
            Device = Device,
            MaxAttempts = Int(parse, "maxAttempts", MaxAttempts, 3),
            SkipInvalidCells = SkipInvalidCells,
            Grid = new GridSpec
            {
                BatchSize = Ints(parse, "grid.batchSize", BatchSizes),
                GhostBatchSize = Ints(parse, "grid.ghostBatchSize", GhostBatchSizes),
                RegimeMultiplier = Regimes(parse, "grid.regimeMultiplier", RegimeMultipliers),
                LrScaling = Axis(LrScalingAxis),
                GbnImplementation = Axis(GbnImplementationAxis),
                RunningStats = Axis(RunningStatsAxis),
            },
            Training = new TrainingSpec
            {
                Epochs = Int(parse, "training.epochs", Epochs, defaults.Epochs),
                LearningRate = Double(parse, "training.learningRate", LearningRate, defaults.LearningRate),
                ReferenceBatchSize = Int(parse, "training.referenceBatchSize", ReferenceBatchSize, defaults.ReferenceBatchSize),
                LrScaling = LrScaling,
                WarmupEpochs = Double(parse, "training.warmupEpochs", WarmupEpochs, 0),
                Momentum = Double(parse, "training.momentum", Momentum, defaults.Momentum),
                WeightDecay = Double(parse, "training.weightDecay", WeightDecay, defaults.WeightDecay),
                LrDropEpochs = Ints(parse, "training.lrDropEpochs", LrDropEpochs),
                LrDropFactor = Double(parse, "training.lrDropFactor", LrDropFactor, defaults.LrDropFactor),
                LrDropFactors = string.IsNullOrWhiteSpace(LrDropFactors) ? null : Doubles(parse, "training.lrDropFactors", LrDropFactors),
                GradientClipNorm = string.IsNullOrWhiteSpace(GradientClipNorm) ? null : Double(parse, "training.gradientClipNorm", GradientClipNorm, 5.0),
                Seeds = Ints(parse, "training.seeds", Seeds),
                TrainSubset = string.IsNullOrWhiteSpace(TrainSubset) ? null : Int(parse, "training.trainSubset", TrainSubset, 1),
                GbnImplementation = GbnImplementation,
                RunningStats = RunningStats,
                LastBatch = LastBatch,
                Evaluation = Evaluation,
                MnistPadCrop = MnistPadCrop,
                DistanceEveryNSteps = Int(parse, "training.distanceEveryNSteps", DistanceEveryNSteps, defaults.DistanceEveryNSteps),
                CheckpointEveryEpochs = Int(parse, "training.checkpointEveryEpochs", CheckpointEveryEpochs, defaults.CheckpointEveryEpochs),
                GradientNoiseScale = GradientNoiseScale,
                BnMomentum = Double(parse, "training.bnMomentum", BnMomentum, defaults.BnMomentum),
                EvalStatistics = EvalStatistics,
                LrReference = LrReference,
                WarmupUnderRegime = WarmupUnderRegime,
                RaggedChunks = RaggedChunks,
                MomentumResetEpochs = string.IsNullOrWhiteSpace(MomentumResetEpochs) ? [] : Ints(parse, "training.momentumResetEpochs", MomentumResetEpochs),
                DistanceGeometric = DistanceGeometric,
            },
        };

        var validation = SweepValidator.Validate(spec, limits);

        // A field that did not parse reports that, not what the validator made of the values that did.
        var errors = validation
            .Where(kv => !parse.ContainsKey(kv.Key))
            .Concat(parse.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToArray())))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

        var points = GridExpander.CountGridPoints(spec);
        GridExpansion? expansion = null;
        var sizesAreUsable = spec.Grid.BatchSize.All(b => b >= 1 && b <= limits.MaxBatchSize)
            && spec.Grid.GhostBatchSize.All(g => g >= 1)
            && spec.Grid.RegimeMultiplier.All(r => r.Factor is not { } f || (double.IsFinite(f) && f > 0))
            && spec.Training.ReferenceBatchSize >= 1;
        if (points <= limits.MaxCells && sizesAreUsable)
        {
            expansion = GridExpander.Expand(spec);
        }

        return new SweepFormState(spec, errors, parse.Count > 0, points, expansion);
    }

    private static List<T>? Axis<T>(HashSet<T> values)
        where T : struct, Enum => values.Count == 0 ? null : values.Order().ToList();
}

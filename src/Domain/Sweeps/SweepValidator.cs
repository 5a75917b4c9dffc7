using Sweep.Domain.Catalog;

namespace Sweep.Domain.Sweeps;

/// <summary>
/// Checks a sweep spec and names every problem by the JSON path of the offending field, so that the API can answer
/// with field errors and the UI can show each message next to its input.
/// </summary>
public static class SweepValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(SweepSpec spec, SweepLimits limits)
    {
        var errors = new ErrorBag();
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            errors.Add("name", "A sweep needs a name.");
        }
        else if (spec.Name.Length > 200)
        {
            errors.Add("name", "A sweep name has at most 200 characters.");
        }

        var dataset = Datasets.Find(spec.Dataset ?? "");
        if (dataset is null)
        {
            errors.Add("dataset", $"Unknown dataset '{spec.Dataset}'. Known: {string.Join(", ", Datasets.All.Select(d => d.Name))}.");
        }

        var model = Models.Find(spec.Model ?? "");
        if (model is null)
        {
            errors.Add("model", $"Unknown model '{spec.Model}'. Known: {string.Join(", ", Models.All.Select(m => m.Name))}.");
        }
        else if (dataset is not null && !model.Datasets.Contains(dataset.Name))
        {
            errors.Add("model", $"Model '{model.Name}' does not take dataset '{dataset.Name}'; it takes {string.Join(", ", model.Datasets)}.");
        }

        if (spec.Device is not ("any" or "cpu" or "cuda"))
        {
            errors.Add("device", $"device must be any, cpu or cuda; got '{spec.Device}'.");
        }

        if (spec.MaxAttempts is < 1 or > 100)
        {
            errors.Add("maxAttempts", $"maxAttempts must be between 1 and 100; got {spec.MaxAttempts}.");
        }

        ValidateTraining(spec.Training, dataset, limits, errors);
        ValidateEnums(spec, errors);
        ValidateAlgorithm1(spec, errors);
        ValidateGrid(spec, dataset, limits, errors);
        ValidateWorkPerTrial(spec, limits, errors);
        return errors.ToDictionary();
    }

    private static void ValidateTraining(TrainingSpec t, DatasetInfo? dataset, SweepLimits limits, ErrorBag errors)
    {
        ValidateSchedule(t, limits, errors);
        ValidateRecordingAndData(t, dataset, limits, errors);
    }

    /// <summary>The optimizer and its schedule: epochs, learning rate and its drops, momentum, weight decay, warmup.</summary>
    private static void ValidateSchedule(TrainingSpec t, SweepLimits limits, ErrorBag errors)
    {
        if (t.Epochs < 1 || t.Epochs > limits.MaxEpochs)
        {
            errors.Add("training.epochs", $"epochs must be between 1 and {limits.MaxEpochs}; got {t.Epochs}.");
        }

        if (!double.IsFinite(t.LearningRate) || t.LearningRate <= 0)
        {
            errors.Add("training.learningRate", $"learningRate must be a finite number above 0; got {t.LearningRate}.");
        }

        if (t.ReferenceBatchSize < 1)
        {
            errors.Add("training.referenceBatchSize", $"referenceBatchSize must be positive; got {t.ReferenceBatchSize}.");
        }

        if (!double.IsFinite(t.Momentum) || t.Momentum is < 0 or >= 1)
        {
            errors.Add("training.momentum", $"momentum must be in [0, 1); got {t.Momentum}.");
        }

        if (!double.IsFinite(t.WeightDecay) || t.WeightDecay < 0)
        {
            errors.Add("training.weightDecay", $"weightDecay must be a finite number ≥ 0; got {t.WeightDecay}.");
        }

        if (!double.IsFinite(t.LrDropFactor) || t.LrDropFactor <= 0)
        {
            errors.Add("training.lrDropFactor", $"lrDropFactor must be a finite number above 0; got {t.LrDropFactor}.");
        }

        foreach (var e in t.LrDropEpochs.Where(e => e < 0).Distinct())
        {
            errors.Add("training.lrDropEpochs", $"LR-drop epochs cannot be negative; got {e}.");
        }

        if (t.LrDropFactors is { } factors)
        {
            if (factors.Count != t.LrDropEpochs.Count)
            {
                errors.Add("training.lrDropFactors", $"Give one factor per drop epoch: {t.LrDropEpochs.Count} epochs but {factors.Count} factors.");
            }

            foreach (var f in factors.Where(f => !double.IsFinite(f) || f <= 0).Distinct())
            {
                errors.Add("training.lrDropFactors", $"Drop factors must be finite numbers above 0; got {f}.");
            }
        }

        if (!double.IsFinite(t.WarmupEpochs) || t.WarmupEpochs < 0)
        {
            errors.Add("training.warmupEpochs", $"warmupEpochs must be a finite number ≥ 0; got {t.WarmupEpochs}.");
        }

        foreach (var e in t.MomentumResetEpochs.Where(e => e < 0).Distinct())
        {
            errors.Add("training.momentumResetEpochs", $"Momentum-reset epochs cannot be negative; got {e}.");
        }
    }

    /// <summary>What a trial records (distance, checkpoints), its BN and clipping settings, its seeds and its data subset.</summary>
    private static void ValidateRecordingAndData(TrainingSpec t, DatasetInfo? dataset, SweepLimits limits, ErrorBag errors)
    {
        if (t.DistanceEveryNSteps < 0)
        {
            errors.Add("training.distanceEveryNSteps", $"distanceEveryNSteps must be ≥ 0 (0 records it per epoch only); got {t.DistanceEveryNSteps}.");
        }
        else if (t.DistanceEveryNSteps > 0 && t.DistanceEveryNSteps < limits.MinDistanceEveryNSteps)
        {
            errors.Add("training.distanceEveryNSteps", $"distanceEveryNSteps must be 0 (per epoch only) or at least {limits.MinDistanceEveryNSteps}: each record is a database write, so fewer steps between them would write on almost every step; got {t.DistanceEveryNSteps}. distanceGeometric adds early points at little cost.");
        }

        if (t.CheckpointEveryEpochs < 1)
        {
            errors.Add("training.checkpointEveryEpochs", $"checkpointEveryEpochs must be ≥ 1 (1 saves after every epoch); got {t.CheckpointEveryEpochs}.");
        }

        if (!double.IsFinite(t.BnMomentum) || t.BnMomentum <= 0 || t.BnMomentum > 1)
        {
            errors.Add("training.bnMomentum", $"bnMomentum must be in (0, 1]; got {t.BnMomentum}.");
        }

        if (t.GradientClipNorm is { } clip && (!double.IsFinite(clip) || clip <= 0))
        {
            errors.Add("training.gradientClipNorm", $"gradientClipNorm must be a finite number above 0, or null to turn clipping off; got {clip}.");
        }

        if (t.Seeds.Count == 0)
        {
            errors.Add("training.seeds", "Give at least one seed.");
        }

        if (t.TrainSubset is { } subset && dataset is not null && (subset < 1 || subset > dataset.TrainSize))
        {
            errors.Add("training.trainSubset", $"trainSubset must be between 1 and {dataset.TrainSize} for {dataset.Name}; got {subset}.");
        }
    }

    /// <summary>Specs built in code (not from JSON, which refuses numbers) can still carry undefined enum values.</summary>
    private static void ValidateEnums(SweepSpec spec, ErrorBag errors)
    {
        var t = spec.Training;
        Defined(t.LrScaling, "training.lrScaling", errors);
        Defined(t.GbnImplementation, "training.gbnImplementation", errors);
        Defined(t.RunningStats, "training.runningStats", errors);
        Defined(t.LastBatch, "training.lastBatch", errors);
        Defined(t.Evaluation, "training.evaluation", errors);
        Defined(t.EvalStatistics, "training.evalStatistics", errors);
        Defined(t.LrReference, "training.lrReference", errors);
        Defined(t.WarmupUnderRegime, "training.warmupUnderRegime", errors);
        Defined(t.RaggedChunks, "training.raggedChunks", errors);
        foreach (var v in spec.Grid.LrScaling ?? [])
        {
            Defined(v, "grid.lrScaling", errors);
        }

        foreach (var v in spec.Grid.GbnImplementation ?? [])
        {
            Defined(v, "grid.gbnImplementation", errors);
        }

        foreach (var v in spec.Grid.RunningStats ?? [])
        {
            Defined(v, "grid.runningStats", errors);
        }
    }

    private static void Defined<T>(T value, string field, ErrorBag errors)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add(field, $"{value} is not a valid value; use one of {string.Join(", ", Enum.GetValues<T>().Select(ApiNames.Of))}.");
        }
    }

    /// <summary>
    /// algorithm1 folds the ghost batches of one vectorized step into one update; the accumulate loop runs plain BN
    /// per chunk, so no cell may pair them, whether they come from the training settings or from the grid's axes.
    /// </summary>
    private static void ValidateAlgorithm1(SweepSpec spec, ErrorBag errors)
    {
        if (!GridExpander.RunningStatsPolicies(spec).Contains(RunningStatsPolicy.Algorithm1)
            || !GridExpander.GbnImplementations(spec).Contains(GbnImplementation.Accumulate))
        {
            return;
        }

        var field = spec.Grid.RunningStats is { Count: > 0 } ? "grid.runningStats" : "training.runningStats";
        errors.Add(field, "runningStats algorithm1 folds the ghost batches of one vectorized step; it cannot run with gbnImplementation accumulate, which runs plain BN per ghost batch. Use gbnImplementation vectorized for algorithm1.");
    }

    private static void ValidateGrid(SweepSpec spec, DatasetInfo? dataset, SweepLimits limits, ErrorBag errors)
    {
        var grid = spec.Grid;
        if (grid.BatchSize.Count == 0)
        {
            errors.Add("grid.batchSize", "Give at least one batch size.");
        }

        if (grid.GhostBatchSize.Count == 0)
        {
            errors.Add("grid.ghostBatchSize", "Give at least one ghost batch size.");
        }

        if (grid.RegimeMultiplier.Count == 0)
        {
            errors.Add("grid.regimeMultiplier", "Give at least one regime multiplier (1 trains the reference budget).");
        }

        foreach (var b in grid.BatchSize.Where(b => b < 1 || b > limits.MaxBatchSize).Distinct())
        {
            errors.Add("grid.batchSize", $"Batch sizes must be between 1 and {limits.MaxBatchSize}; got {b}.");
        }

        foreach (var g in grid.GhostBatchSize.Where(g => g < 1).Distinct())
        {
            errors.Add("grid.ghostBatchSize", $"Ghost batch sizes must be positive; got {g}.");
        }

        foreach (var r in grid.RegimeMultiplier.Where(r => r.Factor is { } f && (!double.IsFinite(f) || f <= 0)).Distinct())
        {
            errors.Add("grid.regimeMultiplier", $"Regime multipliers must be finite numbers above 0, or \"auto\"; got {r}.");
        }

        foreach (var r in grid.RegimeMultiplier.Where(r => r.Factor is { } f && double.IsFinite(f) && f > limits.MaxRegimeMultiplier).Distinct())
        {
            errors.Add("grid.regimeMultiplier", $"Regime multipliers are at most {limits.MaxRegimeMultiplier} (a cell trains that many times the reference budget); got {r}.");
        }

        var trainSize = spec.Training.TrainSubset ?? dataset?.TrainSize;
        foreach (var b in grid.BatchSize.Where(b => trainSize is { } n && b > n).Distinct())
        {
            errors.Add("grid.batchSize", $"Batch size {b} is larger than the {trainSize} training samples, so no step would run.");
        }

        if (grid.LrScaling is { Count: 0 } || grid.GbnImplementation is { Count: 0 } || grid.RunningStats is { Count: 0 })
        {
            errors.Add("grid", "An optional axis (lrScaling, gbnImplementation, runningStats) is either left out or given at least one value.");
        }

        if (errors.HasAny("grid"))
        {
            return;
        }

        var points = GridExpander.CountGridPoints(spec);
        if (points > limits.MaxCells)
        {
            errors.Add("grid", $"The grid has {points} cells; the limit is {limits.MaxCells}.");
            return;
        }

        var expansion = GridExpander.Expand(spec);
        if (!spec.SkipInvalidCells)
        {
            foreach (var cell in expansion.InvalidCells)
            {
                errors.Add("grid.ghostBatchSize", $"Cell (batchSize {cell.BatchSize}, ghostBatchSize {cell.GhostBatchSize}): {cell.Reason}. Set \"skipInvalidCells\": true to skip such cells.");
            }
        }

        if (expansion.Cells.Count == 0 && (spec.SkipInvalidCells || expansion.InvalidCells.Count == 0))
        {
            errors.Add("grid", "No valid cell is left: every (batchSize, ghostBatchSize) pair is invalid.");
        }
    }

    /// <summary>
    /// Bounds the work of one trial: the regime multiplier as <c>auto</c> resolves it (ceil(B / reference), which grows
    /// with the batch size), and epochs × multiplier, the epochs the plan stretches a cell to. Both are judged on the
    /// grid's valid values, the way <see cref="GridExpander"/> resolves them, so an invalid value is reported once.
    /// </summary>
    private static void ValidateWorkPerTrial(SweepSpec spec, SweepLimits limits, ErrorBag errors)
    {
        var (grid, t) = (spec.Grid, spec.Training);
        if ((long)grid.RegimeMultiplier.Count * grid.BatchSize.Count * grid.GhostBatchSize.Count > limits.MaxCells || t.ReferenceBatchSize < 1)
        {
            return;
        }

        var cells = (
            from r in grid.RegimeMultiplier
            where r.IsAuto || (double.IsFinite(r.Factor!.Value) && r.Factor > 0 && r.Factor <= limits.MaxRegimeMultiplier)
            from b in grid.BatchSize.Where(b => b >= 1)
            from g in grid.GhostBatchSize.Where(g => g >= 1)
            select (Regime: r, BatchSize: b, Factor: r.Resolve(b, GridExpander.AutoRegimeReference(t, g)))).ToList();
        if (cells.Count == 0)
        {
            return;
        }

        var worst = cells.MaxBy(c => c.Factor);
        if (worst.Factor > limits.MaxRegimeMultiplier)
        {
            errors.Add("grid.regimeMultiplier", $"auto resolves to {worst.Factor} for batch size {worst.BatchSize}, over the limit of {limits.MaxRegimeMultiplier} for a regime multiplier. Use a fixed multiplier or smaller batch sizes.");
            return;
        }

        var epochs = Math.Ceiling(t.Epochs * worst.Factor - 1e-9);
        if (t.Epochs >= 1 && t.Epochs <= limits.MaxEpochs && epochs > limits.MaxTrialEpochs)
        {
            errors.Add("training.epochs", $"A trial trains epochs × regime multiplier, at most {limits.MaxTrialEpochs} epochs; {t.Epochs} × {worst.Factor} = {epochs} (regimeMultiplier {worst.Regime}, batch size {worst.BatchSize}). Lower the epochs or the regime multiplier.");
        }
    }

    private sealed class ErrorBag
    {
        private readonly Dictionary<string, List<string>> _errors = [];

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        public bool HasAny(string prefix) => _errors.Keys.Any(k => k == prefix || k.StartsWith(prefix + ".", StringComparison.Ordinal));

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }
}

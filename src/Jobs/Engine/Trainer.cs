using System.Diagnostics;
using System.Globalization;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Data;
using Sweep.Jobs.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

public enum TrainOutcome
{
    Completed,
    Diverged,
    OutOfMemory,
    Cancelled,

    /// <summary>Stopped on request after an epoch's checkpoint, to resume elsewhere.</summary>
    Drained,
}

/// <summary>
/// Trains one trial: SGD with momentum, weight decay and optional gradient clipping, the resolved LR schedule,
/// ghost BN in every BN layer. After every epoch it measures clean train and validation loss and accuracy in
/// eval mode, and ‖w_t − w_0‖ globally and per layer; it reports everything through <see cref="ITrainEventSink"/>
/// and writes a checkpoint from which a resumed run continues exactly as an uninterrupted one.
/// </summary>
public sealed class Trainer(TrainerConfig config, ITrainEventSink sink)
{
    private readonly LearningRateSchedule _schedule = config.Schedule;
    private readonly TrialMeasurement _measure = new(config);
    private readonly TrainingStep _step = new(config);

    /// <param name="cancellationToken">Stop at the next step, without a checkpoint.</param>
    /// <param name="drain">Stop after the current epoch, with its checkpoint written (whatever the cadence).</param>
    public TrainOutcome Run(CancellationToken cancellationToken, CancellationToken drain = default)
    {
        using var run = Setup();
        sink.Write(new StartedEvent(DescribeEnvironment(run.Device, run.DatasetSha256, run.Train.Count), config.Epochs, run.StepsPerEpoch, run.FirstEpoch));
        var wall = Stopwatch.StartNew();
        Dictionary<string, double>? latest = null;
        if (run.FirstEpoch == 0)
        {
            latest = _measure.Measure(run.Model, run.Train, run.Test, run.Parameters, run.Initial, _schedule.At(0), 0, wall);
            sink.Write(new EpochEvent(0, 0, latest));
            if (TrialMeasurement.EvaluationFailed(latest))
            {
                return EvaluationNaN(0, 0);
            }
        }

        for (var epoch = run.FirstEpoch; epoch < config.Epochs; epoch++)
        {
            // Reseeding per epoch makes shuffling, augmentation and dropout a function of (seed, epoch):
            // a run resumed at this epoch draws exactly what an uninterrupted run would.
            var epochSeed = Seed(MixSeed(config.Seed, epoch));
            if (config.MomentumResetEpochs.Contains(epoch))
            {
                run.Optimizer.Reset();
            }

            using var generator = new Generator((ulong)epochSeed);
            run.Model.train();
            using var totals = new EpochTotals(run.Device);
            if (TrainEpoch(run, epoch, generator, totals, cancellationToken) is { } stopped)
            {
                return stopped;
            }

            latest = MeasureEpoch(run, epoch, totals, generator, wall);
            sink.Write(new EpochEvent(epoch + 1, run.Step, latest));
            if (TrialMeasurement.EvaluationFailed(latest))
            {
                return EvaluationNaN(epoch + 1, run.Step);
            }

            if (SaveCheckpoint(run, epoch, drain))
            {
                return TrainOutcome.Drained;
            }
        }

        // The final metrics are the last epoch's: measuring again would only cost another pass over both sets.
        // A run resumed after its last epoch has nothing left to train and reports what it can measure now.
        latest ??= _measure.Measure(run.Model, run.Train, run.Test, run.Parameters, run.Initial, _schedule.At(config.Epochs), run.Step, wall);
        sink.Write(new CompletedEvent(config.Epochs, run.Step, latest));
        return TrainOutcome.Completed;
    }

    /// <summary>The data on its device, the seeded model and its initial weights, the optimizer, and a checkpoint's state when resuming.</summary>
    private TrainingRun Setup()
    {
        var dataset = Datasets.Find(config.Dataset)
            ?? throw new NotSupportedException($"Unknown dataset '{config.Dataset}'.");
        var run = new TrainingRun { Dataset = dataset, Device = ResolveDevice(config.Device) };
        try
        {
            var data = run.Own(DatasetLoader.Load(dataset, config.DataDir));
            var trainCpu = run.Own(config.TrainSubset is { } subset && subset < data.Train.Count
                ? MnistLikeLoader.Subset(data.Train, subset, config.SubsetSeed)
                : new InMemoryDataset(data.Train.Inputs.alias(), data.Train.Labels.alias()));
            run.DatasetSha256 = data.Sha256;
            run.Train = run.Own(OnDevice(trainCpu, run.Device));
            run.Test = run.Own(OnDevice(data.Test, run.Device));
            run.StepsPerEpoch = StepsPerEpoch(run.Train.Count);
            if (run.StepsPerEpoch == 0)
            {
                throw new InvalidOperationException($"Batch size {config.BatchSize} exceeds the {run.Train.Count} training samples.");
            }

            // The seed alone fixes the initialization, so w0 is the same whether training starts or resumes.
            Seed(config.Seed);
            run.Model = run.Own(ModelFactory.Create(config, dataset));
            run.Model.to(run.Device);
            run.Parameters = run.Model.named_parameters().ToList();
            run.Initial = run.Parameters.Select(p => run.Own(p.parameter.detach().clone())).ToList();
            run.Trainable = run.Parameters.Select(p => p.parameter).ToList();
            run.Optimizer = run.Own(new OptimizerSlot(run.Trainable, config));
            if (config.ResumeFrom is { } checkpoint)
            {
                (run.FirstEpoch, run.Step) = Checkpoint.Load(checkpoint, run.Model, run.Optimizer.Current);
                RestoreInitialStatsWeight(run.Model, run.Step);
            }

            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>One epoch's steps, summed into <paramref name="totals"/>; a stop (cancellation, divergence) is reported and returned.</summary>
    private TrainOutcome? TrainEpoch(TrainingRun run, int epoch, Generator generator, EpochTotals totals, CancellationToken cancellationToken)
    {
        using var order = randperm(run.Train.Count, generator: generator).to(run.Device);
        var trainTime = Stopwatch.StartNew();
        for (var s = 0; s < run.StepsPerEpoch; s++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                sink.Write(new FailedEvent(FailureKind.Cancelled, "Stopped on request.", epoch, run.Step));
                return TrainOutcome.Cancelled;
            }

            run.Optimizer.SetLearningRate(_schedule.At(epoch + (double)s / run.StepsPerEpoch));
            var start = (long)s * config.BatchSize;
            var length = BatchLength(s, run.StepsPerEpoch, run.Train.Count);
            using (var scope = NewDisposeScope())
            {
                var index = order.narrow(0, start, length);
                var x = Augment(run.Train.Inputs.index_select(0, index), run.Dataset, generator);
                _step.Run(run.Model, run.Optimizer.Current, run.Trainable, x, run.Train.Labels.index_select(0, index), totals);
            }

            totals.Samples += length;
            run.Step++;
            if (RecordsDistanceAt(run.Step))
            {
                if (Diverging(totals))
                {
                    return Diverged(epoch, run.Step);
                }

                sink.Write(new DistanceEvent(epoch, run.Step, TrialMeasurement.Distance(run.Parameters, run.Initial)));
            }
        }

        totals.Time = trainTime.Elapsed;
        return Diverging(totals) ? Diverged(epoch, run.Step) : null;
    }

    /// <summary>
    /// The one divergence check: the running training loss is no longer a finite number. It reads the sum back into
    /// <see cref="EpochTotals.Loss"/>, so the epoch's last check is also its report's one read.
    /// </summary>
    private static bool Diverging(EpochTotals totals)
    {
        totals.Loss = totals.LossSum.item<double>();
        return !double.IsFinite(totals.Loss);
    }

    /// <summary>What the epoch reports: the clean passes when they are due (else only training's own figures), the running figures, and the optional estimates.</summary>
    private Dictionary<string, double> MeasureEpoch(TrainingRun run, int epoch, EpochTotals totals, Generator generator, Stopwatch wall)
    {
        // Between scheduled evaluations only what training measured anyway is reported; the last epoch always
        // gets the clean passes, because its metrics are the trial's result.
        var evaluate = (epoch + 1) % config.EvaluateEveryEpochs == 0 || epoch + 1 == config.Epochs;
        var latest = evaluate
            ? _measure.Measure(run.Model, run.Train, run.Test, run.Parameters, run.Initial, _schedule.At(epoch), run.Step, wall)
            : _measure.Progress(run.Model, run.Parameters, run.Initial, _schedule.At(epoch), run.Step, wall);
        latest["runningTrainLoss"] = totals.Loss / totals.Samples;
        latest[MetricNames.RunningTrainAccuracy] = totals.Correct.item<long>() / (double)totals.Samples;
        if (latest.TryGetValue(MetricNames.TrainAccuracy, out var cleanTrainAccuracy))
        {
            latest[MetricNames.TrainEvalModeDelta] = latest[MetricNames.RunningTrainAccuracy] - cleanTrainAccuracy;
        }

        latest["samplesPerSecond"] = totals.Samples / totals.Time.TotalSeconds;
        if (config.GradientNoiseScale && config.GhostBatchSize < config.BatchSize)
        {
            foreach (var (key, value) in NoiseScale.Estimate(run.Model, run.Train, generator, config))
            {
                latest[key] = value;
            }
        }

        if (config.RunningStats == RunningStatsPolicy.Recompute && epoch == config.Epochs - 1)
        {
            _measure.RecomputeRunningStats(run.Model, run.Train);
            foreach (var (key, value) in _measure.Measure(run.Model, run.Train, run.Test, run.Parameters, run.Initial, _schedule.At(epoch), run.Step, wall))
            {
                latest[key] = value;
            }
        }

        return latest;
    }

    /// <summary>Writes the epoch's checkpoint when one is due or a drain asks for it; true when the run should stop for the drain.</summary>
    private bool SaveCheckpoint(TrainingRun run, int epoch, CancellationToken drain)
    {
        // A drain after the last epoch lets the trial complete instead: there is nothing left to resume. A drain
        // always writes its checkpoint, whatever k says: the epoch it finished is what the next worker resumes.
        var draining = drain.IsCancellationRequested && epoch + 1 < config.Epochs;
        if (config.CheckpointPath is { } path && (draining || CheckpointDue(epoch + 1)))
        {
            Checkpoint.Save(path, epoch + 1, run.Step, run.Model, run.Optimizer.Current);
            sink.Write(new CheckpointEvent(epoch + 1, run.Step, path));
        }

        return draining;
    }

    /// <summary>Whether the state after <paramref name="epochsDone"/> epochs is saved: every k-th, never the last.</summary>
    private bool CheckpointDue(int epochsDone) =>
        epochsDone % Math.Max(1, config.CheckpointEveryEpochs) == 0 && epochsDone < config.Epochs;

    /// <summary>The plan's step count: under keep, a one-sample rest joins the last batch (see <see cref="BatchLength"/>).</summary>
    private int StepsPerEpoch(long trainCount) => TrainingPlan.StepsPerEpochOf(trainCount, config.BatchSize, config.LastBatch);

    /// <summary>Step s takes B samples; under keep the last step takes what is left (B + 1 when a single sample is left over).</summary>
    private long BatchLength(int s, int stepsPerEpoch, long trainCount)
    {
        var start = (long)s * config.BatchSize;
        return config.LastBatch == LastBatchPolicy.Keep && s == stepsPerEpoch - 1 ? trainCount - start : Math.Min(config.BatchSize, trainCount - start);
    }

    /// <summary>
    /// The paper code's training augmentation: CIFAR always (pad 4, crop 32, flip); MNIST-like data on request, as
    /// bigBatch's preprocess.py does it (pad 2, crop 28, and its horizontal flip).
    /// </summary>
    private Tensor Augment(Tensor x, DatasetInfo dataset, Generator generator) => dataset.IsMnistLike
        ? config.MnistPadCrop ? Augmentation.MnistPadCrop(x, generator, horizontalFlip: true) : x
        : Augmentation.CifarTrain(x, generator);

    private bool RecordsDistanceAt(long step) =>
        (config.DistanceEveryNSteps > 0 && step % config.DistanceEveryNSteps == 0)
        || (config.DistanceGeometric && GeometricSchedule.Contains(step));

    /// <summary>
    /// A checkpoint holds the buffers but not their weight bookkeeping: on resume it is rebuilt from the steps with the
    /// guard's formula (exact for full batches; a kept ragged batch per epoch adds at most one update per epoch).
    /// </summary>
    private void RestoreInitialStatsWeight(nn.Module<Tensor, Tensor> model, long step)
    {
        var weight = Guards.InitialStatsWeight(config.RunningStats, config.GbnImplementation, EvalStatistics.Running, config.BatchSize, config.GhostBatchSize, config.BnMomentum, step);
        foreach (var norm in model.modules().OfType<GhostBatchNorm>())
        {
            norm.InitialStatsWeight = weight;
        }
    }

    private TrainOutcome EvaluationNaN(int epoch, long step)
    {
        sink.Write(new FailedEvent(FailureKind.EvaluationNan, "The evaluation in eval mode produced a NaN or infinite loss while the training loss stayed finite (e.g. BN running statistics that do not fit the weights).", epoch, step));
        return TrainOutcome.Diverged;
    }

    private TrainOutcome Diverged(int epoch, long step)
    {
        sink.Write(new FailedEvent(FailureKind.Diverged, "The training loss became NaN or infinite.", epoch, step));
        return TrainOutcome.Diverged;
    }

    private static long Seed(long seed)
    {
        manual_seed(seed);
        if (cuda.is_available())
        {
            cuda.manual_seed_all(seed);
        }

        return seed;
    }

    /// <summary>A well-mixed, non-negative seed for (trial seed, epoch) (SplitMix64's finalizer).</summary>
    internal static long MixSeed(long seed, int epoch)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)(epoch + 1) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)((z ^ (z >> 31)) >> 1);
    }

    private static InMemoryDataset OnDevice(InMemoryDataset data, Device device) =>
        device.type == DeviceType.CPU
            ? new InMemoryDataset(data.Inputs.alias(), data.Labels.alias())
            : new InMemoryDataset(data.Inputs.to(device), data.Labels.to(device));

    public static Device ResolveDevice(string name)
    {
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            if (!cuda.is_available())
            {
                throw new NotSupportedException($"Device '{name}' was requested, but this build of TorchSharp sees no CUDA device.");
            }

            return new Device(name);
        }

        return CPU;
    }

    private Dictionary<string, string> DescribeEnvironment(Device device, string datasetSha256, long trainSamples) => new()
    {
        ["torchSharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["libtorch"] = __version__,
        ["device"] = device.ToString(),
        ["threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
        ["dotnet"] = Environment.Version.ToString(),
        ["host"] = Environment.MachineName,
        ["datasetSha256"] = datasetSha256,
        ["trainSamples"] = trainSamples.ToString(CultureInfo.InvariantCulture),
        ["gbnImplementation"] = ApiNames.Of(config.GbnImplementation),
        ["runningStats"] = ApiNames.Of(config.RunningStats),
        ["lastBatch"] = ApiNames.Of(config.LastBatch),
        ["raggedChunks"] = ApiNames.Of(config.RaggedChunks),
        ["evalStatistics"] = ApiNames.Of(config.EvalStatistics),
        ["momentumResetEpochs"] = string.Join(",", config.MomentumResetEpochs),
        ["distanceGeometric"] = config.DistanceGeometric ? "true" : "false",
    };
}

using System.Diagnostics;
using System.Globalization;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Data;
using Sweep.Jobs.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

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

    /// <param name="cancellationToken">Stop at the next step, without a checkpoint.</param>
    /// <param name="drain">Stop after the current epoch, with its checkpoint written (whatever the cadence).</param>
    public TrainOutcome Run(CancellationToken cancellationToken, CancellationToken drain = default)
    {
        var dataset = Datasets.Find(config.Dataset)
            ?? throw new NotSupportedException($"Unknown dataset '{config.Dataset}'.");
        var device = ResolveDevice(config.Device);
        using var data = DatasetLoader.Load(dataset, config.DataDir);
        using var trainCpu = config.TrainSubset is { } subset && subset < data.Train.Count
            ? MnistLikeLoader.Subset(data.Train, subset, config.SubsetSeed)
            : new InMemoryDataset(data.Train.Inputs.alias(), data.Train.Labels.alias());
        using var train = OnDevice(trainCpu, device);
        using var test = OnDevice(data.Test, device);

        var stepsPerEpoch = StepsPerEpoch(train.Count);
        if (stepsPerEpoch == 0)
        {
            throw new InvalidOperationException($"Batch size {config.BatchSize} exceeds the {train.Count} training samples.");
        }

        // The seed alone fixes the initialization, so w0 is the same whether training starts or resumes.
        Seed(config.Seed);
        using var model = ModelFactory.Create(config, dataset);
        model.to(device);
        var parameters = model.named_parameters().ToList();
        var initial = parameters.Select(p => p.parameter.detach().clone()).ToList();

        // Built once for the optimizer, the clipping and the gradient reset, instead of walking the module tree every step.
        var trainable = parameters.Select(p => p.parameter).ToList();
        using var optimizer = new OptimizerSlot(trainable, config);

        var firstEpoch = 0;
        var step = 0L;
        if (config.ResumeFrom is { } checkpoint)
        {
            (firstEpoch, step) = Checkpoint.Load(checkpoint, model, optimizer.Current);
            RestoreInitialStatsWeight(model, step);
        }

        sink.Write(new StartedEvent(DescribeEnvironment(device, data.Sha256, train.Count), config.Epochs, stepsPerEpoch, firstEpoch));
        var wall = Stopwatch.StartNew();
        Dictionary<string, double>? latest = null;
        if (firstEpoch == 0)
        {
            latest = _measure.Measure(model, train, test, parameters, initial, _schedule.At(0), 0, wall);
            sink.Write(new EpochEvent(0, 0, latest));
            if (TrialMeasurement.EvaluationFailed(latest))
            {
                return EvaluationNaN(0, 0);
            }
        }

        for (var epoch = firstEpoch; epoch < config.Epochs; epoch++)
        {
            // Reseeding per epoch makes shuffling, augmentation and dropout a function of (seed, epoch):
            // a run resumed at this epoch draws exactly what an uninterrupted run would.
            var epochSeed = Seed(MixSeed(config.Seed, epoch));
            if (config.MomentumResetEpochs.Contains(epoch))
            {
                optimizer.Reset();
            }

            using var generator = new Generator((ulong)epochSeed);
            model.train();
            using var order = randperm(train.Count, generator: generator).to(device);
            using var lossSum = zeros(1, ScalarType.Float64, device);
            using var correct = zeros(1, ScalarType.Int64, device);
            var samples = 0L;
            var trainTime = Stopwatch.StartNew();
            for (var s = 0; s < stepsPerEpoch; s++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    sink.Write(new FailedEvent(FailureKind.Cancelled, "Stopped on request.", epoch, step));
                    return TrainOutcome.Cancelled;
                }

                optimizer.SetLearningRate(_schedule.At(epoch + (double)s / stepsPerEpoch));

                var start = (long)s * config.BatchSize;
                var length = BatchLength(s, stepsPerEpoch, train.Count);
                using (var scope = NewDisposeScope())
                {
                    var index = order.narrow(0, start, length);
                    var x = Augment(train.Inputs.index_select(0, index), dataset, generator);
                    TrainStep(model, optimizer.Current, trainable, x, train.Labels.index_select(0, index), lossSum, correct);
                }

                samples += length;
                step++;
                if (RecordsDistanceAt(step))
                {
                    if (!double.IsFinite(lossSum.item<double>()))
                    {
                        return Diverged(epoch, step);
                    }

                    sink.Write(new DistanceEvent(epoch, step, TrialMeasurement.Distance(parameters, initial)));
                }
            }

            trainTime.Stop();
            var runningLoss = lossSum.item<double>() / samples;
            if (!double.IsFinite(runningLoss))
            {
                return Diverged(epoch, step);
            }

            // Between scheduled evaluations only what training measured anyway is reported; the last epoch always
            // gets the clean passes, because its metrics are the trial's result.
            var evaluate = (epoch + 1) % config.EvaluateEveryEpochs == 0 || epoch + 1 == config.Epochs;
            latest = evaluate
                ? _measure.Measure(model, train, test, parameters, initial, _schedule.At(epoch), step, wall)
                : _measure.Progress(model, parameters, initial, _schedule.At(epoch), step, wall);
            latest["runningTrainLoss"] = runningLoss;
            latest[MetricNames.RunningTrainAccuracy] = correct.item<long>() / (double)samples;
            if (latest.TryGetValue(MetricNames.TrainAccuracy, out var cleanTrainAccuracy))
            {
                latest[MetricNames.TrainEvalModeDelta] = latest[MetricNames.RunningTrainAccuracy] - cleanTrainAccuracy;
            }

            latest["samplesPerSecond"] = samples / trainTime.Elapsed.TotalSeconds;
            if (config.GradientNoiseScale && config.GhostBatchSize < config.BatchSize)
            {
                foreach (var (key, value) in NoiseScale.Estimate(model, train, generator, config))
                {
                    latest[key] = value;
                }
            }

            if (config.RunningStats == RunningStatsPolicy.Recompute && epoch == config.Epochs - 1)
            {
                _measure.RecomputeRunningStats(model, train);
                foreach (var (key, value) in _measure.Measure(model, train, test, parameters, initial, _schedule.At(epoch), step, wall))
                {
                    latest[key] = value;
                }
            }

            sink.Write(new EpochEvent(epoch + 1, step, latest));
            if (TrialMeasurement.EvaluationFailed(latest))
            {
                return EvaluationNaN(epoch + 1, step);
            }

            // A drain after the last epoch lets the trial complete instead: there is nothing left to resume. A drain
            // always writes its checkpoint, whatever k says: the epoch it finished is what the next worker resumes.
            var draining = drain.IsCancellationRequested && epoch + 1 < config.Epochs;
            if (config.CheckpointPath is { } path && (draining || CheckpointDue(epoch + 1)))
            {
                Checkpoint.Save(path, epoch + 1, step, model, optimizer.Current);
                sink.Write(new CheckpointEvent(epoch + 1, step, path));
            }

            if (draining)
            {
                return TrainOutcome.Drained;
            }
        }

        // The final metrics are the last epoch's: measuring again would only cost another pass over both sets.
        // A run resumed after its last epoch has nothing left to train and reports what it can measure now.
        latest ??= _measure.Measure(model, train, test, parameters, initial, _schedule.At(config.Epochs), step, wall);
        foreach (var t in initial)
        {
            t.Dispose();
        }

        sink.Write(new CompletedEvent(config.Epochs, step, latest));
        return TrainOutcome.Completed;
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

    private void TrainStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, List<Parameter> trainable, Tensor x, Tensor y, Tensor lossSum, Tensor correct)
    {
        ClearGradients(trainable);
        var n = x.shape[0];
        if (config.GbnImplementation == GbnImplementation.Accumulate && config.GhostBatchSize < n)
        {
            // bigBatch's loop: each ghost batch goes forward and backward through plain BN; the gradients add up to
            // the gradient of the mean loss over the whole batch (each chunk weighs its share of the samples).
            var sizes = GhostBatchNorm.ChunkSizes(n, config.GhostBatchSize, config.BatchSize, config.RaggedChunks).ToArray();
            var xs = x.split(sizes);
            var ys = y.split(sizes);
            for (var j = 0; j < xs.Length; j++)
            {
                var logits = model.forward(xs[j]);
                var loss = F.cross_entropy(logits, ys[j]);
                loss.mul(ys[j].shape[0] / (double)n).backward();
                Accumulate(logits, ys[j], loss, lossSum, correct);
            }
        }
        else
        {
            var logits = model.forward(x);
            var loss = F.cross_entropy(logits, y);
            loss.backward();
            Accumulate(logits, y, loss, lossSum, correct);
        }

        if (config.GradientClipNorm is { } clip)
        {
            GradientClipping.ClipNorm(trainable, clip);
        }

        optimizer.step();
    }

    /// <summary>
    /// Drops the gradients instead of zeroing them (PyTorch's set_to_none): the next backward stores its gradients
    /// instead of adding them to zeros, which saves the zeroing pass and the addition; 0 + g is g, so every update is
    /// bit for bit the same.
    /// </summary>
    private static void ClearGradients(List<Parameter> trainable)
    {
        foreach (var parameter in trainable)
        {
            parameter.grad = null;
        }
    }

    private static void Accumulate(Tensor logits, Tensor y, Tensor loss, Tensor lossSum, Tensor correct)
    {
        using var noGrad = no_grad();
        lossSum.add_(loss.detach().to_type(ScalarType.Float64) * y.shape[0]);
        correct.add_(logits.argmax(1).eq(y).sum());
    }

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

using System.Diagnostics;
using Sweep.Domain.Catalog;
using Sweep.Domain.Results;
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
}

/// <summary>
/// Trains one trial: SGD with momentum, weight decay and optional gradient clipping, the LR drops of the resolved
/// plan, ghost BN in every BN layer. After every epoch it measures clean train and validation loss and accuracy in
/// eval mode, and ‖w_t − w_0‖ globally and per layer; it reports everything through <see cref="ITrainEventSink"/>.
/// </summary>
public sealed class Trainer(TrainerConfig config, ITrainEventSink sink)
{
    public TrainOutcome Run(CancellationToken cancellationToken)
    {
        var dataset = Datasets.Find(config.Dataset)
            ?? throw new NotSupportedException($"Unknown dataset '{config.Dataset}'.");
        var device = ResolveDevice(config.Device);
        torch.manual_seed(config.Seed);
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.manual_seed_all(config.Seed);
        }

        using var data = MnistLikeLoader.Load(dataset.Name, config.DataDir);
        using var trainCpu = config.TrainSubset is { } subset && subset < data.Train.Count
            ? MnistLikeLoader.Subset(data.Train, subset, config.SubsetSeed)
            : new InMemoryDataset(data.Train.Inputs.alias(), data.Train.Labels.alias());
        using var train = OnDevice(trainCpu, device);
        using var test = OnDevice(data.Test, device);

        var stepsPerEpoch = (int)(train.Count / config.BatchSize);
        if (stepsPerEpoch == 0)
        {
            throw new InvalidOperationException($"Batch size {config.BatchSize} exceeds the {train.Count} training samples.");
        }

        sink.Write(new StartedEvent(DescribeEnvironment(device, data.Sha256, train.Count), config.Epochs, stepsPerEpoch));

        using var model = ModelFactory.Create(config, dataset);
        model.to(device);
        var parameters = model.named_parameters().ToList();
        var initial = parameters.Select(p => p.parameter.detach().clone()).ToList();
        using var optimizer = optim.SGD(
            parameters.Select(p => p.parameter),
            config.LearningRate,
            momentum: config.Momentum,
            weight_decay: config.WeightDecay);
        using var shuffle = new Generator((ulong)config.Seed);

        var step = 0L;
        var wall = Stopwatch.StartNew();
        var latest = Measure(model, train, test, parameters, initial, double.NaN, double.NaN, config.LearningRate, 0, wall);
        sink.Write(new EpochEvent(0, 0, latest));

        for (var epoch = 0; epoch < config.Epochs; epoch++)
        {
            var lr = LearningRateAt(epoch);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            model.train();
            using var order = randperm(train.Count, generator: shuffle).to(device);
            using var lossSum = zeros(1, ScalarType.Float64, device);
            using var correct = zeros(1, ScalarType.Int64, device);
            var trainTime = Stopwatch.StartNew();
            for (var s = 0; s < stepsPerEpoch; s++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    sink.Write(new FailedEvent("cancelled", "Stopped on request.", epoch, step));
                    return TrainOutcome.Cancelled;
                }

                using (var scope = NewDisposeScope())
                {
                    var index = order.narrow(0, (long)s * config.BatchSize, config.BatchSize);
                    TrainStep(model, optimizer, train.Inputs.index_select(0, index), train.Labels.index_select(0, index), lossSum, correct);
                }

                step++;
                if (config.DistanceEveryNSteps > 0 && step % config.DistanceEveryNSteps == 0)
                {
                    if (!double.IsFinite(lossSum.item<double>()))
                    {
                        return Diverged(epoch, step);
                    }

                    sink.Write(new DistanceEvent(epoch, step, Distance(parameters, initial)));
                }
            }

            trainTime.Stop();
            var samples = (double)stepsPerEpoch * config.BatchSize;
            var runningLoss = lossSum.item<double>() / samples;
            if (!double.IsFinite(runningLoss))
            {
                return Diverged(epoch, step);
            }

            var runningAccuracy = correct.item<long>() / samples;
            latest = Measure(model, train, test, parameters, initial, runningLoss, runningAccuracy, lr, step, wall);
            latest["samplesPerSecond"] = samples / trainTime.Elapsed.TotalSeconds;
            sink.Write(new EpochEvent(epoch + 1, step, latest));
            if (!double.IsFinite(latest[MetricNames.TrainLoss]))
            {
                return Diverged(epoch + 1, step);
            }
        }

        // The final metrics are the last epoch's: measuring again would only cost another pass over both sets.
        sink.Write(new CompletedEvent(config.Epochs, step, latest));
        foreach (var t in initial)
        {
            t.Dispose();
        }

        return TrainOutcome.Completed;
    }

    public double LearningRateAt(int epoch) =>
        config.LearningRate * Math.Pow(config.LrDropFactor, config.LrDropEpochs.Count(d => d <= epoch));

    private void TrainStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor x, Tensor y, Tensor lossSum, Tensor correct)
    {
        optimizer.zero_grad();
        if (config.GbnImplementation == GhostBatchNormImplementation.Accumulate && config.GhostBatchSize < config.BatchSize)
        {
            // bigBatch's loop: each ghost batch goes forward and backward through plain BN; gradients add up.
            var chunks = config.BatchSize / config.GhostBatchSize;
            var xs = x.split(config.GhostBatchSize);
            var ys = y.split(config.GhostBatchSize);
            for (var j = 0; j < chunks; j++)
            {
                var logits = model.forward(xs[j]);
                var loss = F.cross_entropy(logits, ys[j]);
                loss.div(chunks).backward();
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
            nn.utils.clip_grad_norm_(model.parameters(), clip);
        }

        optimizer.step();
    }

    private static void Accumulate(Tensor logits, Tensor y, Tensor loss, Tensor lossSum, Tensor correct)
    {
        using var noGrad = no_grad();
        lossSum.add_(loss.detach().to_type(ScalarType.Float64) * y.shape[0]);
        correct.add_(logits.argmax(1).eq(y).sum());
    }

    private Dictionary<string, double> Measure(
        nn.Module<Tensor, Tensor> model,
        InMemoryDataset train,
        InMemoryDataset test,
        List<(string name, Parameter parameter)> parameters,
        List<Tensor> initial,
        double runningLoss,
        double runningAccuracy,
        double lr,
        long step,
        Stopwatch wall)
    {
        var (trainLoss, trainAccuracy) = Evaluate(model, train);
        var (valLoss, valAccuracy) = Evaluate(model, test);
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = trainLoss,
            [MetricNames.TrainAccuracy] = trainAccuracy,
            [MetricNames.ValLoss] = valLoss,
            [MetricNames.ValAccuracy] = valAccuracy,
            [MetricNames.GeneralizationGap] = trainAccuracy - valAccuracy,
            [MetricNames.WeightDistance] = Distance(parameters, initial),
            [MetricNames.Steps] = step,
            [MetricNames.WallSeconds] = wall.Elapsed.TotalSeconds,
            ["learningRate"] = lr,
        };
        if (!double.IsNaN(runningLoss))
        {
            metrics["runningTrainLoss"] = runningLoss;
            metrics["runningTrainAccuracy"] = runningAccuracy;
        }

        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            metrics[$"{MetricNames.WeightDistance}.{parameters[i].name}"] = (parameters[i].parameter - initial[i]).norm().item<float>();
        }

        return metrics;
    }

    /// <summary>Clean loss and accuracy in eval mode (running BN statistics, no augmentation), without gradients.</summary>
    private (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, InMemoryDataset data)
    {
        model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (long start = 0; start < data.Count; start += config.EvalBatchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(config.EvalBatchSize, data.Count - start);
            var x = data.Inputs.narrow(0, start, length);
            var y = data.Labels.narrow(0, start, length);
            var logits = model.forward(x);
            lossSum += F.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }

        model.train();
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    private static double Distance(List<(string name, Parameter parameter)> parameters, List<Tensor> initial)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var total = zeros(1, ScalarType.Float64, initial[0].device);
        for (var i = 0; i < parameters.Count; i++)
        {
            total.add_((parameters[i].parameter - initial[i]).pow(2).sum().to_type(ScalarType.Float64));
        }

        return Math.Sqrt(total.item<double>());
    }

    private TrainOutcome Diverged(int epoch, long step)
    {
        sink.Write(new FailedEvent("diverged", "The training loss became NaN or infinite.", epoch, step));
        return TrainOutcome.Diverged;
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
        ["threads"] = get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["dotnet"] = Environment.Version.ToString(),
        ["host"] = Environment.MachineName,
        ["datasetSha256"] = datasetSha256,
        ["trainSamples"] = trainSamples.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["gbnImplementation"] = config.GbnImplementation.ToString().ToLowerInvariant(),
        ["runningStats"] = config.RunningStats.ToString().ToLowerInvariant(),
    };
}

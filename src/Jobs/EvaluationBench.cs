using System.Diagnostics;
using System.Globalization;
using Sweep.Domain.Catalog;
using Sweep.Jobs.Engine;
using Sweep.Jobs.Engine.Data;
using Sweep.Jobs.Engine.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs;

/// <summary>
/// <c>bench evaluation [--data DIR] [--threads T] [--epochs N] [--pairs N]</c>: what the clean evaluation after each
/// epoch costs against the epoch's training, for F1 at B = 128 on full Fashion-MNIST (CPU). The training epoch is the
/// real trainer's (<see cref="Trainer.Run"/>; its samples/s count the training steps only; median over epochs 2–N).
/// The evaluation (train + validation split) of the trainer's checkpointed model is then timed in rounds that
/// alternate the old path (<see cref="LegacyEvaluate"/>) and the new one (<see cref="CleanEvaluation"/>) at its
/// default batch size and at others, after one warm-up round; it prints each round, the medians, each path's share of
/// an epoch (training + evaluation), and each path's figures, which must agree.
/// </summary>
public static class EvaluationBench
{
    private const int Batch = 128;

    private const int OldEvalBatch = 1000;

    public static int Run(string[] args)
    {
        var threads = IntOption(args, "--threads", Environment.ProcessorCount);

        // At least 2: the trainer never checkpoints its last epoch, and the evaluation reads the one before.
        var epochs = Math.Max(2, IntOption(args, "--epochs", 3));
        var pairs = IntOption(args, "--pairs", 5);
        var dataDir = Option(args, "--data");
        set_num_threads(threads);
        Console.WriteLine($"bench evaluation · F1, B = {Batch}, full Fashion-MNIST, cpu · TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} · libtorch {__version__} · {get_num_threads()} threads · load average {LoadAverage()}");

        var checkpoint = Path.Combine(Directory.CreateTempSubdirectory("sweep-bench-evaluation-").FullName, "trial.ckpt");
        var config = Config(epochs, dataDir, checkpoint);
        var trainSeconds = TrainingEpochSeconds(config);
        Console.WriteLine($"training epoch (the trainer's steps only), median over epochs 2–{epochs}: {trainSeconds:F2} s");

        // The model evaluated is the trainer's own after its last checkpoint (epoch N − 1): trained weights and BN
        // running statistics, so the figures below are a real trial's.
        var dataset = Datasets.FashionMnist;
        using var data = DatasetLoader.Load(dataset, dataDir);
        using var model = ModelFactory.Create(config, dataset);
        using (var optimizer = new OptimizerSlot(model.parameters().ToList(), config))
        {
            Checkpoint.Load(checkpoint, model, optimizer.Current);
        }

        Directory.Delete(Path.GetDirectoryName(checkpoint)!, recursive: true);

        // The old path, then the new one at the default (the trainer's) and at other batch sizes: the reason for the default.
        var newBatch = CleanEvaluation.BatchSize;
        var paths = new List<(string Name, Func<InMemoryDataset, (double Loss, double Accuracy)> Evaluate)>
        {
            ($"old: {OldEvalBatch:N0} rows, no_grad", d => LegacyEvaluate(model, d)),
        };
        foreach (var rows in new[] { newBatch, 250, 4000, 10_000 })
        {
            paths.Add(($"new: {rows:N0} rows{(rows == newBatch ? " (default)" : "")}", d => CleanEvaluation.Evaluate(model, d, rows)));
        }

        var seconds = paths.Select(_ => new List<double>()).ToList();
        var results = new ((double, double) Train, (double, double) Val)[paths.Count];
        Console.WriteLine();
        Console.WriteLine($"| round | {string.Join(" | ", paths.Select(p => p.Name))} |");
        Console.WriteLine($"|---:|{string.Concat(paths.Select(_ => "---:|"))}");
        for (var round = 0; round <= pairs; round++)
        {
            var row = new List<string>();
            for (var p = 0; p < paths.Count; p++)
            {
                var clock = Stopwatch.StartNew();
                results[p] = (paths[p].Evaluate(data.Train), paths[p].Evaluate(data.Test));
                seconds[p].Add(clock.Elapsed.TotalSeconds);
                row.Add($"{clock.Elapsed.TotalSeconds:F3} s");
            }

            Console.WriteLine($"| {(round == 0 ? "warm-up" : round.ToString(CultureInfo.InvariantCulture))} | {string.Join(" | ", row)} |");
        }

        Console.WriteLine();
        Console.WriteLine("| path | evaluation (train + val), median | share of an epoch | train loss · accuracy | val loss · accuracy |");
        Console.WriteLine("|---|---:|---:|---|---|");
        for (var p = 0; p < paths.Count; p++)
        {
            var median = Median(seconds[p].Skip(1));
            var ((trainLoss, trainAccuracy), (valLoss, valAccuracy)) = results[p];
            Console.WriteLine($"| {paths[p].Name} | {median:F3} s | {median / (trainSeconds + median):P1} | {trainLoss:F7} · {trainAccuracy:F5} | {valLoss:F7} · {valAccuracy:F5} |");
        }

        Console.WriteLine();
        Console.WriteLine($"old / new ({newBatch:N0} rows): {Median(seconds[0].Skip(1)) / Median(seconds[1].Skip(1)):F2}× · load average {LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// TrialMeasurement.Evaluate as it was before <see cref="CleanEvaluation"/> (f4b771e), kept as this bench's
    /// baseline: 1,000-row batches under no_grad, each batch's loss summed in float32.
    /// </summary>
    private static (double Loss, double Accuracy) LegacyEvaluate(nn.Module<Tensor, Tensor> model, InMemoryDataset data)
    {
        model.eval();
        using var noGrad = no_grad();
        using var lossSum = zeros(1, ScalarType.Float64, data.Labels.device);
        using var correct = zeros(1, ScalarType.Int64, data.Labels.device);
        for (long start = 0; start < data.Count; start += OldEvalBatch)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(OldEvalBatch, data.Count - start);
            var y = data.Labels.narrow(0, start, length);
            var logits = model.forward(data.Inputs.narrow(0, start, length));
            lossSum.add_(F.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64));
            correct.add_(logits.argmax(1).eq(y).sum());
        }

        model.train();
        return (lossSum.item<double>() / data.Count, (double)correct.item<long>() / data.Count);
    }

    /// <summary>The real trainer's training time per epoch: steps × B over its samples/s, median of the warm epochs.</summary>
    private static double TrainingEpochSeconds(TrainerConfig config)
    {
        var sink = new EpochSink();
        var outcome = new Trainer(config, sink).Run(CancellationToken.None);
        if (outcome != TrainOutcome.Completed || sink.Seconds.Count == 0)
        {
            throw new InvalidOperationException($"The trainer ended {outcome} after {sink.Seconds.Count} epochs.");
        }

        return Median(sink.Seconds.Skip(sink.Seconds.Count > 1 ? 1 : 0));
    }

    private static TrainerConfig Config(int epochs, string? dataDir, string checkpoint) => new()
    {
        Dataset = Datasets.FashionMnist.Name,
        Model = "f1",
        DataDir = dataDir,
        BatchSize = Batch,
        GhostBatchSize = Batch,
        Epochs = epochs,
        LearningRate = 0.1,
        Seed = 1,
        CheckpointPath = checkpoint,

        // Only the epoch-0 and last-epoch evaluations run: the epochs in between time training alone.
        EvaluateEveryEpochs = int.MaxValue,
    };

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Training seconds of each epoch after the first evaluation: the epoch's samples over its samples/s.</summary>
    private sealed class EpochSink : ITrainEventSink
    {
        private long _previousStep;

        public List<double> Seconds { get; } = [];

        public void Write(TrainEvent e)
        {
            if (e is not EpochEvent epoch)
            {
                return;
            }

            if (epoch.Epoch > 0 && epoch.Metrics.TryGetValue("samplesPerSecond", out var samplesPerSecond))
            {
                Seconds.Add((epoch.Step - _previousStep) * Batch / samplesPerSecond);
            }

            _previousStep = epoch.Step;
        }
    }
}

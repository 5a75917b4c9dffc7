using System.Globalization;
using System.Text.Json;
using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs;

/// <summary>
/// <c>bench step --batch B --ghost G --ghost-mode vectorized|accumulate --threads T --steps N [--data DIR]</c>: one
/// F1 training configuration through the real trainer (<see cref="Trainer.Run"/>), printed as one JSON line. It is
/// Sweep's side of <c>./sweep bench --peer</c> (bench/peer/compare.py runs it beside the PyTorch peer, one process
/// per run). The trainer runs 2 epochs over a Fashion-MNIST subset of N·B samples: the first warms up, the second
/// is timed, so both sides time N warm steps. The figure is the trainer's own samplesPerSecond of that epoch: the
/// training steps with all of their per-step bookkeeping, without the clean evaluations around them.
/// </summary>
public static class StepBench
{
    public static int Run(string[] args)
    {
        var batch = IntOption(args, "--batch", 4096);
        var ghost = IntOption(args, "--ghost", batch);
        var steps = IntOption(args, "--steps", 8);
        var threads = IntOption(args, "--threads", Environment.ProcessorCount);
        var mode = Option(args, "--ghost-mode") ?? "vectorized";
        var implementation = mode switch
        {
            "vectorized" => GbnImplementation.Vectorized,
            "accumulate" => GbnImplementation.Accumulate,
            _ => throw new ArgumentException($"--ghost-mode must be vectorized or accumulate, not '{mode}'."),
        };

        // Process-wide, and before libtorch's thread pool first runs, as the trainer's own process does it.
        TorchSharp.torch.set_num_threads(threads);
        var config = new TrainerConfig
        {
            Dataset = Datasets.FashionMnist.Name,
            Model = "f1",
            DataDir = Option(args, "--data"),
            BatchSize = batch,
            GhostBatchSize = ghost,
            GbnImplementation = implementation,
            Epochs = 2,
            LearningRate = 0.1,
            TrainSubset = steps * batch,
            EvaluateEveryEpochs = int.MaxValue,
            Threads = threads,
        };
        var sink = new TimedEpochSink(timedEpoch: 2);
        var outcome = new Trainer(config, sink).Run(CancellationToken.None);
        if (outcome != TrainOutcome.Completed || sink.SamplesPerSecond is not { } samplesPerSecond)
        {
            Console.Error.WriteLine($"bench step: the trainer ended {outcome} without timing epoch 2.");
            return 1;
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            side = "sweep",
            framework = $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} · libtorch {TorchSharp.torch.__version__}",
            batch,
            ghost,
            ghostMode = ghost < batch ? mode : "plain",
            threads = TorchSharp.torch.get_num_threads(),
            steps = sink.Steps,
            samplesPerSecond,
        }));
        return 0;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Keeps the samples/s of one epoch, and the steps it took.</summary>
    private sealed class TimedEpochSink(int timedEpoch) : ITrainEventSink
    {
        private long _stepsBefore;

        public double? SamplesPerSecond { get; private set; }

        public long Steps { get; private set; }

        public void Write(TrainEvent e)
        {
            if (e is not EpochEvent epoch)
            {
                return;
            }

            if (epoch.Epoch == timedEpoch - 1)
            {
                _stepsBefore = epoch.Step;
            }
            else if (epoch.Epoch == timedEpoch && epoch.Metrics.TryGetValue("samplesPerSecond", out var value))
            {
                SamplesPerSecond = value;
                Steps = epoch.Step - _stepsBefore;
            }
        }
    }
}

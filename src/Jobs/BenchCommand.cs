using System.Diagnostics;
using System.Globalization;
using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;
using static TorchSharp.torch;

namespace Sweep.Jobs;

/// <summary>
/// <c>bench [--data DIR] [--epochs N] [--device cuda:0] [--compare-cpu]</c>: prints the engine's figures on this machine. It is a benchmark, not a
/// test: the matmul roofline, F1 training throughput through the real trainer (its samples/s count only the
/// training steps, with all of the trainer's per-step bookkeeping), ghost BN's overhead and the two GBN methods.
/// </summary>
public static class BenchCommand
{
    /// <summary>The matrix sizes the roofline is measured at; the best of them is the roofline.</summary>
    private static readonly int[] RooflineSizes = [2048, 4096];

    // F1 multiply-adds per sample: 784·512 + 4·512·512 + 512·10. Training costs ≈ 3 forward passes, 2 FLOP per MAC.
    private const double F1TrainFlopsPerSample = 6.0 * (784 * 512 + 4 * 512 * 512 + 512 * 10);

    public static int Run(string[] args)
    {
        var dataDir = Option(args, "--data");
        var device = Option(args, "--device") ?? "cpu";
        if (device != "cpu")
        {
            Console.WriteLine($"CUDA available: {TorchSharp.torch.cuda.is_available()} · devices: {TorchSharp.torch.cuda.device_count()}");
        }

        foreach (var target in args.Contains("--compare-cpu") && device != "cpu" ? new[] { device, "cpu" } : [device])
        {
            RunOn(target, dataDir, args);
        }

        return 0;
    }

    private static void RunOn(string device, string? dataDir, string[] args)
    {
        var epochs = int.Parse(Option(args, "--epochs") ?? "4", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"Sweep engine benchmark on {device} · TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} · libtorch {__version__} · {get_num_threads()} threads · {Environment.ProcessorCount} cores");

        // The roofline is the best sustained float32 matmul rate: the median of repeated runs, at the size that does best.
        var roofline = RooflineSizes.Max(n => Median(Enumerable.Range(0, 5).Select(_ => MatmulGflops(n, device, repeats: n == 4096 ? 1 : 4))));
        Console.WriteLine($"matmul roofline (best of 2048² and 4096² float32, median of 5 each): {roofline:F1} GFLOP/s");
        Console.WriteLine($"F1 throughput: median over epochs 2–{epochs} of Fashion-MNIST (the first epoch warms up); training steps only");
        Console.WriteLine();
        Console.WriteLine("| configuration | samples/s | GFLOP/s | of roofline |");
        Console.WriteLine("|---|---:|---:|---:|");

        double Row(string name, int batch, int ghost, GbnImplementation implementation)
        {
            var samplesPerSecond = F1Throughput(batch, ghost, implementation, epochs, dataDir, device);
            var gflops = samplesPerSecond * F1TrainFlopsPerSample / 1e9;
            Console.WriteLine($"| {name} | {samplesPerSecond:F0} | {gflops:F1} | {gflops / roofline:P0} |");
            return samplesPerSecond;
        }

        Row("F1, B = 128, plain BN", 128, 128, GbnImplementation.Vectorized);
        var plain = Row("F1, B = 4096, plain BN", 4096, 4096, GbnImplementation.Vectorized);
        var vectorized = Row("F1, B = 4096, ghost BN G = 128, vectorized", 4096, 128, GbnImplementation.Vectorized);
        var accumulate = Row("F1, B = 4096, ghost BN G = 128, accumulate", 4096, 128, GbnImplementation.Accumulate);
        Console.WriteLine();
        Console.WriteLine($"ghost BN (G = 128, vectorized) overhead over plain BN at B = 4096: {plain / vectorized - 1:P1}");
        Console.WriteLine($"vectorized vs accumulate at B = 4096, G = 128: {vectorized / accumulate:F2}× the samples/s");
    }

    private static double MatmulGflops(int n, string device, int repeats)
    {
        var target = Trainer.ResolveDevice(device);
        using var a = randn(n, n, device: target);
        using var b = randn(n, n, device: target);
        using (var warm = a.matmul(b))
        {
            Synchronize(target);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            using var c = a.matmul(b);
        }

        Synchronize(target);

        return Measured(2.0 * n * n * n * repeats / clock.Elapsed.TotalSeconds / 1e9, $"GFLOP/s for a {n}² matmul");
    }

    /// <summary>GPU work is asynchronous: wait for it before reading the clock.</summary>
    private static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            TorchSharp.torch.cuda.synchronize(device);
        }
    }

    private static double F1Throughput(int batch, int ghost, GbnImplementation implementation, int epochs, string? dataDir, string device)
    {
        var config = new TrainerConfig
        {
            Dataset = Datasets.FashionMnist.Name,
            Model = "f1",
            DataDir = dataDir,
            BatchSize = batch,
            GhostBatchSize = ghost,
            GbnImplementation = implementation,
            Epochs = epochs,
            LearningRate = 0.1,
            Seed = 1,
            Device = device,
        };
        var sink = new ThroughputSink();
        new Trainer(config, sink).Run(CancellationToken.None);
        return sink.SamplesPerSecond.Count > 0
            ? Measured(Median(sink.SamplesPerSecond.Skip(sink.SamplesPerSecond.Count > 1 ? 1 : 0)), $"samples/s at B = {batch}, G = {ghost}")
            : throw new InvalidOperationException("The trainer reported no epoch.");
    }

    /// <summary>A rate that is zero, negative or not a number measured nothing: fail rather than print it.</summary>
    private static double Measured(double rate, string what) =>
        double.IsFinite(rate) && rate > 0 ? rate : throw new InvalidOperationException($"The benchmark measured {rate} {what}.");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class ThroughputSink : ITrainEventSink
    {
        public List<double> SamplesPerSecond { get; } = [];

        public void Write(TrainEvent e)
        {
            if (e is EpochEvent { Epoch: > 0 } epoch && epoch.Metrics.TryGetValue("samplesPerSecond", out var value))
            {
                SamplesPerSecond.Add(value);
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace Sweep.Jobs;

/// <summary>
/// <c>bench matmul --threads T</c>: float32 matmul rates at F1's own shapes, as one JSON line. It is the first part of
/// <c>./sweep bench --peer</c>, which runs the same shapes through the peer's PyTorch (<c>bigbatch_f1.py --matmul</c>):
/// the two frameworks link different BLAS libraries, and this separates the BLAS from everything else a step does.
/// </summary>
public static class MatmulBench
{
    /// <summary>(m, k, n): F1's first and hidden layers' forward products at B = 4096 and B = 128. Keep in step with bigbatch_f1.py.</summary>
    private static readonly (int M, int K, int N)[] Shapes = [(4096, 784, 512), (4096, 512, 512), (128, 784, 512), (128, 512, 512)];

    public static int Run(string[] args)
    {
        var i = Array.IndexOf(args, "--threads");
        var threads = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        set_num_threads(threads);
        var rates = Shapes.ToDictionary(s => $"{s.M}x{s.K}x{s.N}", s => Gflops(s.M, s.K, s.N));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            side = "sweep",
            framework = $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} · libtorch {__version__}",
            threads = get_num_threads(),
            gflops = rates,
        }));
        return 0;
    }

    /// <summary>The median of 5 timed runs, each about 0.2 s of products after a warm-up.</summary>
    private static double Gflops(int m, int k, int n)
    {
        using var a = randn(m, k);
        using var b = randn(k, n);
        var flops = 2.0 * m * k * n;
        var repeats = (int)Math.Max(4, 0.2 * 180e9 / flops);
        using (a.matmul(b))
        {
        }

        var runs = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var clock = Stopwatch.StartNew();
            for (var r = 0; r < repeats; r++)
            {
                using var c = a.matmul(b);
            }

            runs.Add(flops * repeats / clock.Elapsed.TotalSeconds / 1e9);
        }

        runs.Sort();
        return runs[2];
    }
}

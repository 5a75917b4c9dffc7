using TorchSharp;
using static TorchSharp.torch;
using Sweep.Jobs.Engine.Data;
using Sweep.Jobs.Engine.Models;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Engine;

/// <summary>
/// McCandlish et al.'s gradient noise scale B_simple = tr(Σ) / |G|², from the gradients of ghost batches (b = G) and
/// of whole batches (B), with their unbiased two-batch-size estimators. Both estimators are averaged over up to
/// <see cref="TrainerConfig.NoiseScaleBatches"/> batches (at most one epoch's worth) before dividing, as they do: a
/// ratio of single-batch estimates is dominated by the noise of the denominator. A jackknife over the batches gives its
/// standard error. When the |G|² estimate is ≤ 0 (the gradient is below the noise) the scale is NaN.
/// BN running statistics and their guard weights are restored.
/// </summary>
internal static class NoiseScale
{
    public const string Key = "gradientNoiseScale";
    public const string StdErrKey = "gradientNoiseScaleStdErr";
    public const string GradientSquaredKey = "gradientSquaredEstimate";

    public static Dictionary<string, double> Estimate(nn.Module<Tensor, Tensor> model, InMemoryDataset train, Generator generator, TrainerConfig config)
    {
        var norms = model.modules().OfType<GhostBatchNorm>().ToList();
        var saved = norms.Select(n => (Mean: n.RunningMean.clone(), Var: n.RunningVar.clone(), n.InitialStatsWeight)).ToList();
        var batches = (int)Math.Min(config.NoiseScaleBatches, train.Count / config.BatchSize);
        var samples = new List<(double Small, double Big)>(batches);
        using (var order = randperm(train.Count, generator: generator).to(train.Labels.device))
        {
            for (var b = 0; b < batches; b++)
            {
                samples.Add(SquaredNorms(model, train, order, b, config));
            }
        }

        for (var i = 0; i < norms.Count; i++)
        {
            using var noGrad = no_grad();
            norms[i].RunningMean.copy_(saved[i].Mean);
            norms[i].RunningVar.copy_(saved[i].Var);
            norms[i].InitialStatsWeight = saved[i].InitialStatsWeight;
            saved[i].Mean.Dispose();
            saved[i].Var.Dispose();
        }

        return Summarize(samples, config.GhostBatchSize, config.BatchSize);
    }

    /// <summary>The estimate over all batches, |G|², and the jackknife standard error of the estimate.</summary>
    internal static Dictionary<string, double> Summarize(IReadOnlyList<(double Small, double Big)> samples, double small, double big)
    {
        var (scale, gradientSq) = Ratio(samples, small, big);
        var stdErr = double.NaN;
        if (samples.Count > 1 && double.IsFinite(scale))
        {
            var leaveOneOut = Enumerable.Range(0, samples.Count)
                .Select(i => Ratio(samples.Where((_, j) => j != i).ToList(), small, big).Scale)
                .ToList();
            if (leaveOneOut.All(double.IsFinite))
            {
                var mean = leaveOneOut.Average();
                stdErr = Math.Sqrt((samples.Count - 1.0) / samples.Count * leaveOneOut.Sum(v => (v - mean) * (v - mean)));
            }
        }

        return new Dictionary<string, double> { [Key] = scale, [StdErrKey] = stdErr, [GradientSquaredKey] = gradientSq };
    }

    private static (double Scale, double GradientSq) Ratio(IReadOnlyList<(double Small, double Big)> samples, double small, double big)
    {
        if (samples.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var smallSq = samples.Average(s => s.Small);
        var bigSq = samples.Average(s => s.Big);
        var gradientSq = (big * bigSq - small * smallSq) / (big - small);
        var trace = (smallSq - bigSq) / (1 / small - 1 / big);
        return (gradientSq > 0 ? trace / gradientSq : double.NaN, gradientSq);
    }

    /// <summary>Batch b's mean squared ghost-batch gradient norm and its whole-batch gradient's squared norm.</summary>
    private static (double Small, double Big) SquaredNorms(nn.Module<Tensor, Tensor> model, InMemoryDataset train, Tensor order, int b, TrainerConfig config)
    {
        using var scope = NewDisposeScope();
        var parameters = model.parameters().Cast<Tensor>().ToList();
        var index = order.narrow(0, (long)b * config.BatchSize, config.BatchSize);
        var xs = train.Inputs.index_select(0, index).split(config.GhostBatchSize);
        var ys = train.Labels.index_select(0, index).split(config.GhostBatchSize);
        double smallSq = 0;
        Tensor? sum = null;
        foreach (var (x, y) in xs.Zip(ys))
        {
            var grads = autograd.grad([F.cross_entropy(model.forward(x), y)], parameters);
            var flat = cat(grads.Select(g => g.flatten()).ToList(), 0).to_type(ScalarType.Float64);
            smallSq += flat.pow(2).sum().item<double>() / xs.Length;
            sum = sum is null ? flat : sum + flat;
        }

        return (smallSq, (sum! / xs.Length).pow(2).sum().item<double>());
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine.Models;

/// <summary>
/// A copy of every ghost BN's running statistics and guard weight, put back on dispose: measurements that run the
/// model in train mode (recomputed evaluation statistics, the noise scale) must leave training exactly as it was.
/// </summary>
public sealed class BnStatisticsSnapshot : IDisposable
{
    private readonly List<(GhostBatchNorm Norm, Tensor Mean, Tensor Var, double Weight)> _saved;

    public BnStatisticsSnapshot(nn.Module model) =>
        _saved = model.modules().OfType<GhostBatchNorm>()
            .Select(n => (n, n.RunningMean.clone(), n.RunningVar.clone(), n.InitialStatsWeight))
            .ToList();

    public void Dispose()
    {
        using var noGrad = no_grad();
        foreach (var (norm, mean, variance, weight) in _saved)
        {
            norm.RunningMean.copy_(mean);
            norm.RunningVar.copy_(variance);
            norm.InitialStatsWeight = weight;
            mean.Dispose();
            variance.Dispose();
        }
    }
}

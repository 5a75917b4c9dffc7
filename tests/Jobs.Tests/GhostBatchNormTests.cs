using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;
using Sweep.Jobs.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Jobs.Tests;

public sealed class GhostBatchNormTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(RunningStatsPolicy.Sequential)]
    [InlineData(RunningStatsPolicy.Mean)]
    public void With_ghost_equal_to_batch_it_matches_BatchNorm1d(RunningStatsPolicy policy)
    {
        manual_seed(7);
        using var x = randn(64, 16) * 3 + 1;
        using var gbn = new GhostBatchNorm(16, 64, policy);
        using var bn = nn.BatchNorm1d(16);

        using var xa = x.clone().requires_grad_(true);
        using var xb = x.clone().requires_grad_(true);
        using var ya = gbn.forward(xa);
        using var yb = bn.forward(xb);
        (ya * ya.detach()).sum().backward();
        (yb * yb.detach()).sum().backward();

        AssertClose(yb, ya);
        AssertClose(xb.grad!, xa.grad!);
        AssertClose(bn.weight!.grad!, gbn.Weight.grad!);
        AssertClose(bn.bias!.grad!, gbn.Bias.grad!);
        AssertClose(bn.running_mean!, gbn.RunningMean);
        AssertClose(bn.running_var!, gbn.RunningVar);
    }

    [Fact]
    public void Each_ghost_batch_is_normalized_with_its_own_statistics()
    {
        manual_seed(3);
        const int ghost = 8;
        using var x = randn(32, 5) * 2 + 0.5;
        using var gbn = new GhostBatchNorm(5, ghost, RunningStatsPolicy.Sequential);
        using var y = gbn.forward(x);

        for (var j = 0; j < 4; j++)
        {
            using var chunk = x.narrow(0, j * ghost, ghost);
            using var mean = chunk.mean([0], keepdim: true);
            using var variance = chunk.var([0], unbiased: false, keepdim: true);
            using var expected = (chunk - mean) / (variance + 1e-5).sqrt();
            AssertClose(expected, y.narrow(0, j * ghost, ghost));
        }
    }

    [Fact]
    public void Sequential_running_statistics_replay_one_EMA_update_per_ghost_batch()
    {
        manual_seed(5);
        const int ghost = 16;
        using var x = randn(64, 6) * 4 - 2;
        using var gbn = new GhostBatchNorm(6, ghost, RunningStatsPolicy.Sequential);
        using var bn = nn.BatchNorm1d(6);
        using (var _ = gbn.forward(x))
        {
        }

        foreach (var chunk in x.split(ghost))
        {
            using var __ = bn.forward(chunk);
        }

        AssertClose(bn.running_mean!, gbn.RunningMean);
        AssertClose(bn.running_var!, gbn.RunningVar);
    }

    [Fact]
    public void Mean_running_statistics_average_the_ghost_batches_then_update_once()
    {
        manual_seed(11);
        const int ghost = 8;
        using var x = randn(32, 4) + 3;
        using var gbn = new GhostBatchNorm(4, ghost, RunningStatsPolicy.Mean);
        using (var _ = gbn.forward(x))
        {
        }

        var chunks = x.split(ghost);
        using var means = stack(chunks.Select(c => c.mean([0])).ToArray()).mean([0]);
        using var vars = stack(chunks.Select(c => c.var([0], unbiased: true)).ToArray()).mean([0]);
        AssertClose(means * 0.1, gbn.RunningMean);
        AssertClose(vars * 0.1 + 0.9, gbn.RunningVar);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff < Tolerance * Math.Max(1, expected.abs().max().item<float>()), $"max |diff| = {diff}");
    }
}

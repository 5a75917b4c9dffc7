using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Tests;

/// <summary>
/// Ghost BN's vectorized layout against the reference it replaces: every ghost batch through PyTorch's own batch norm
/// on its own, one after the other. Outputs, all three gradients and the running statistics must agree to float
/// rounding, for fully connected and convolutional inputs and for a ragged batch's remainder chunk.
/// </summary>
public sealed class GhostBatchNormLayoutTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(new long[] { 64, 6 }, 16)]
    [InlineData(new long[] { 70, 6 }, 16)]
    [InlineData(new long[] { 32, 3, 4, 5 }, 8)]
    [InlineData(new long[] { 512, 40 }, 128)]
    public void Ghost_batches_match_per_chunk_batch_norm_in_outputs_gradients_and_running_statistics(long[] shape, int ghost)
    {
        manual_seed(21);
        var features = shape[1];
        using var x = randn(shape) * 3 + 0.7;
        using var upstream = randn(shape);
        using var gbn = new GhostBatchNorm(features, ghost, RunningStatsPolicy.Sequential);
        using var referenceWeight = (rand(features) + 0.5).requires_grad_(true);
        using var referenceBias = randn(features).requires_grad_(true);
        using var referenceMean = randn(features);
        using var referenceVar = rand(features) + 0.5;
        using (no_grad())
        {
            gbn.Weight.copy_(referenceWeight);
            gbn.Bias.copy_(referenceBias);
            gbn.RunningMean.copy_(referenceMean);
            gbn.RunningVar.copy_(referenceVar);
        }

        using var xa = x.clone().requires_grad_(true);
        using var ya = gbn.forward(xa);
        (ya * upstream).sum().backward();

        using var xb = x.clone().requires_grad_(true);
        var sizes = GhostBatchNorm.ChunkSizes(shape[0], ghost, 0, RaggedChunks.Remainder).ToArray();
        Assert.True(sizes.Length > 1);
        using var yb = cat(xb.split(sizes).Select(chunk => F.batch_norm(chunk, referenceMean, referenceVar, referenceWeight, referenceBias, true, 0.1, 1e-5)).ToList(), 0);
        (yb * upstream).sum().backward();

        AssertClose(yb, ya);
        AssertClose(xb.grad!, xa.grad!);
        AssertClose(referenceWeight.grad!, gbn.Weight.grad!);
        AssertClose(referenceBias.grad!, gbn.Bias.grad!);
        AssertClose(referenceMean, gbn.RunningMean);
        AssertClose(referenceVar, gbn.RunningVar);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual).abs().max().item<float>();
        var scale = Math.Max(1, expected.abs().max().item<float>());
        Assert.True(diff <= Tolerance * scale, $"max |diff| = {diff} at scale {scale}");
    }
}

using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Models;
using static TorchSharp.torch;

namespace Sweep.Jobs.Tests;

/// <summary>The paper's Algorithm 1 as printed, the guard's bookkeeping, and how ragged batches are split.</summary>
public sealed class GhostBatchNormAlgorithm1Tests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Algorithm1_matches_a_hand_computation_of_the_printed_rule(int k)
    {
        const int ghost = 4;
        const double eta = 0.1;
        manual_seed(11);
        using var x = randn(k * ghost, 3) * 2 + 1;
        using var gbn = new GhostBatchNorm(3, ghost, RunningStatsPolicy.Algorithm1, eta);
        using (no_grad())
        {
            gbn.RunningMean.copy_(tensor(new[] { 0.5f, -1f, 2f }));
            gbn.RunningVar.copy_(tensor(new[] { 4f, 1f, 0.25f }));
        }

        var values = x.data<float>().ToArray();
        var expectedMean = new double[3];
        var expectedStd = new double[3];
        double[] oldMean = [0.5, -1, 2], oldStd = [2, 1, 0.5];
        for (var c = 0; c < 3; c++)
        {
            expectedMean[c] = Math.Pow(1 - eta, ghost) * oldMean[c];
            expectedStd[c] = Math.Pow(1 - eta, ghost) * oldStd[c];
            for (var i = 1; i <= k; i++)
            {
                var chunk = Enumerable.Range((i - 1) * ghost, ghost).Select(r => (double)values[r * 3 + c]).ToList();
                var mean = chunk.Average();
                var std = Math.Sqrt(chunk.Sum(v => (v - mean) * (v - mean)) / (ghost - 1));
                expectedMean[c] += Math.Pow(1 - eta, i) * eta * mean;
                expectedStd[c] += Math.Pow(1 - eta, i) * eta * std;
            }
        }

        using var y = gbn.forward(x);

        var runningMean = gbn.RunningMean.data<float>().ToArray();
        var runningVar = gbn.RunningVar.data<float>().ToArray();
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expectedMean[c], runningMean[c], 4);
            Assert.Equal(expectedStd[c] * expectedStd[c], runningVar[c], 4);
        }

        Assert.Equal(Math.Pow(1 - eta, ghost), gbn.InitialStatsWeight, 12);
    }

    [Theory]
    [InlineData(RunningStatsPolicy.Sequential, 64, 16)]
    [InlineData(RunningStatsPolicy.Mean, 64, 16)]
    [InlineData(RunningStatsPolicy.Algorithm1, 64, 16)]
    [InlineData(RunningStatsPolicy.Sequential, 64, 64)]
    public void The_initial_statistics_weight_follows_the_guard_formula(RunningStatsPolicy policy, int batch, int ghost)
    {
        manual_seed(2);
        using var gbn = new GhostBatchNorm(5, ghost, policy);
        for (var step = 0; step < 3; step++)
        {
            using var x = randn(batch, 5);
            using var y = gbn.forward(x);
        }

        var expected = Guards.InitialStatsWeight(policy, GbnImplementation.Vectorized, EvalStatistics.Running, batch, ghost, 0.1, 3);
        Assert.Equal(expected, gbn.InitialStatsWeight, 12);
    }

    [Fact]
    public void A_one_sample_remainder_joins_the_last_ghost_batch_and_equal_chunks_split_as_bigBatch()
    {
        Assert.Equal([16L, 16, 17], GhostBatchNorm.ChunkSizes(49, 16, 64, RaggedChunks.Remainder));
        Assert.Equal([16L, 16, 16, 2], GhostBatchNorm.ChunkSizes(50, 16, 64, RaggedChunks.Remainder));
        Assert.Equal([13L, 13, 12, 12], GhostBatchNorm.ChunkSizes(50, 16, 64, RaggedChunks.Equal));
        Assert.Equal([64L], GhostBatchNorm.ChunkSizes(64, 64, 64, RaggedChunks.Equal));

        manual_seed(4);
        using var x = randn(49, 5);
        using var gbn = new GhostBatchNorm(5, 16, RunningStatsPolicy.Sequential, batchSize: 64);
        using var y = gbn.forward(x);
        Assert.True(y.isfinite().all().item<bool>());
    }
}

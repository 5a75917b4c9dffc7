using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>The guard formulas: how fast each policy forgets the initial running statistics, and the flag thresholds.</summary>
public sealed class GuardsTests
{
    private const double M = 0.1;

    [Fact]
    public void Plain_batch_norm_decays_once_per_step_whatever_the_policy()
    {
        foreach (var policy in Enum.GetValues<RunningStatsPolicy>())
        {
            Assert.Equal(0.9, Guards.StepDecay(policy, GbnImplementation.Vectorized, 4096, 4096, M), 12);
        }

        Assert.Equal(Math.Pow(0.9, 12), Guards.InitialStatsWeight(RunningStatsPolicy.Sequential, GbnImplementation.Vectorized, EvalStatistics.Running, 4096, 4096, M, 12), 12);
        Assert.Equal(0.282, Guards.InitialStatsWeight(RunningStatsPolicy.Sequential, GbnImplementation.Vectorized, EvalStatistics.Running, 4096, 4096, M, 12), 3);
    }

    [Fact]
    public void Sequential_decays_once_per_ghost_batch_and_mean_once_per_step()
    {
        Assert.Equal(Math.Pow(0.9, 32), Guards.StepDecay(RunningStatsPolicy.Sequential, GbnImplementation.Vectorized, 4096, 128, M), 15);
        Assert.Equal(Math.Pow(0.9, 32), Guards.InitialStatsWeight(RunningStatsPolicy.Sequential, GbnImplementation.Vectorized, EvalStatistics.Running, 4096, 128, M, 1), 15);
        Assert.Equal(0.9, Guards.StepDecay(RunningStatsPolicy.Mean, GbnImplementation.Vectorized, 4096, 128, M), 12);
        Assert.Equal(Math.Pow(0.9, 5), Guards.InitialStatsWeight(RunningStatsPolicy.Mean, GbnImplementation.Vectorized, EvalStatistics.Running, 4096, 128, M, 5), 12);
    }

    [Fact]
    public void Algorithm1_keeps_one_minus_m_to_the_ghost_size_per_step()
    {
        // 0.9^128 ≈ 1.4e-6: compare relatively.
        Assert.Equal(1.0, Guards.StepDecay(RunningStatsPolicy.Algorithm1, GbnImplementation.Vectorized, 4096, 128, M) / Math.Pow(0.9, 128), 12);
    }

    [Fact]
    public void The_accumulate_loop_updates_once_per_ghost_batch_even_for_mean()
    {
        // ⌈1000/128⌉ = 8 ghost batches, the last one ragged.
        Assert.Equal(Math.Pow(0.9, 8), Guards.StepDecay(RunningStatsPolicy.Mean, GbnImplementation.Accumulate, 1000, 128, M), 15);
        Assert.Equal(Math.Pow(0.9, 8), Guards.StepDecay(RunningStatsPolicy.Sequential, GbnImplementation.Accumulate, 1000, 128, M), 15);
    }

    [Fact]
    public void Recomputed_statistics_hold_no_initial_weight()
    {
        Assert.Equal(0, Guards.InitialStatsWeight(RunningStatsPolicy.Recompute, GbnImplementation.Vectorized, EvalStatistics.Running, 4096, 4096, M, 1));
        Assert.Equal(0, Guards.InitialStatsWeight(RunningStatsPolicy.Sequential, GbnImplementation.Vectorized, EvalStatistics.Recompute, 4096, 4096, M, 1));
    }

    [Fact]
    public void Trial_flags_fire_only_beyond_their_thresholds()
    {
        var clean = new Dictionary<string, double>
        {
            [MetricNames.RunningStatsInitialWeight] = 0.01,
            [MetricNames.TrainEvalModeDelta] = -0.05,
            [MetricNames.Steps] = 100,
        };
        var flagged = new Dictionary<string, double>
        {
            [MetricNames.RunningStatsInitialWeight] = 0.0101,
            [MetricNames.TrainEvalModeDelta] = -0.06,
            [MetricNames.Steps] = 99,
        };

        Assert.Empty(Guards.ForTrial(clean));
        Assert.Equal([GuardFlags.RunningStats, GuardFlags.TrainEvalMismatch, GuardFlags.FewUpdates], Guards.ForTrial(flagged));
        Assert.Empty(Guards.ForTrial(new Dictionary<string, double>()));
        Assert.Equal([GuardFlags.TrainEvalMismatch], Guards.ForTrial(new Dictionary<string, double> { [MetricNames.TrainEvalModeDelta] = 0.2 }));
    }

    [Fact]
    public void An_optimization_gap_needs_a_deficit_over_a_point_that_explains_half_the_gap()
    {
        // Train deficit 0.05, val gap 0.08: 0.05 ≥ 0.04.
        Assert.True(Guards.IsOptimizationGap(0.99, 0.94, 0.90, 0.82));
        // Deficit 0.02 is under half of the gap 0.08.
        Assert.False(Guards.IsOptimizationGap(0.99, 0.97, 0.90, 0.82));
        // A deficit under one point is never an optimization gap, however small the gap.
        Assert.False(Guards.IsOptimizationGap(0.99, 0.9801, 0.90, 0.89));
        // No gap at all.
        Assert.False(Guards.IsOptimizationGap(0.99, 0.90, 0.90, 0.91));
    }
}

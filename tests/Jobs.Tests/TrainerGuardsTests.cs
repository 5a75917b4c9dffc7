using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>What the trainer records for the artifact guards, the geometric distance schedule and evaluation statistics.</summary>
public sealed class TrainerGuardsTests : IDisposable
{
    private readonly string _data = SyntheticIdxDataset.Create(Directory.CreateTempSubdirectory("sweep-guards-").FullName, 384, 128);

    private TrainerConfig Config(int ghost = 64) => new()
    {
        Dataset = "mnist",
        Model = "f1",
        DataDir = _data,
        BatchSize = 64,
        GhostBatchSize = ghost,
        Epochs = 2,
        LearningRate = 0.05,
        Seed = 5,
        DistanceEveryNSteps = 0,
    };

    private static List<TrainEvent> Run(TrainerConfig config)
    {
        var sink = new RecordingSink();
        Assert.Equal(TrainOutcome.Completed, new Trainer(config, sink).Run(CancellationToken.None));
        return sink.Events;
    }

    [Fact]
    public void A_twelve_step_run_records_its_distance_on_the_geometric_schedule_and_its_guard_inputs()
    {
        var events = Run(Config(ghost: 16));

        Assert.Equal([1L, 2, 3, 4, 5, 6, 8, 10, 12], events.OfType<DistanceEvent>().Select(d => d.Step));
        var last = events.OfType<EpochEvent>().Last().Metrics;
        Assert.Equal(Guards.InitialStatsWeight(RunningStatsPolicy.Sequential, GbnImplementation.Vectorized, EvalStatistics.Running, 64, 16, 0.1, 12), last[MetricNames.RunningStatsInitialWeight], 9);
        Assert.Equal(last[MetricNames.RunningTrainAccuracy] - last[MetricNames.TrainAccuracy], last[MetricNames.TrainEvalModeDelta], 12);
        Assert.Equal(1.0, events.OfType<EpochEvent>().First().Metrics[MetricNames.RunningStatsInitialWeight]);
    }

    [Fact]
    public void Recomputed_evaluation_statistics_change_what_is_measured_but_not_what_is_trained()
    {
        var running = Run(Config());
        var recomputed = Run(Config() with { EvalStatistics = EvalStatistics.Recompute });

        Assert.Equal(running.OfType<DistanceEvent>().Select(d => d.Value), recomputed.OfType<DistanceEvent>().Select(d => d.Value));
        var a = running.OfType<EpochEvent>().Last().Metrics;
        var b = recomputed.OfType<EpochEvent>().Last().Metrics;
        Assert.Equal(a[MetricNames.RunningTrainAccuracy], b[MetricNames.RunningTrainAccuracy]);
        Assert.NotEqual(a[MetricNames.ValLoss], b[MetricNames.ValLoss]);
        Assert.Equal(0, b[MetricNames.RunningStatsInitialWeight]);
        Assert.True(a[MetricNames.RunningStatsInitialWeight] > 0.01);
    }

    [Fact]
    public void A_momentum_reset_changes_the_run_from_that_epoch_on()
    {
        var plain = Run(Config());
        var reset = Run(Config() with { MomentumResetEpochs = [1] });

        var plainEpochs = plain.OfType<EpochEvent>().ToList();
        var resetEpochs = reset.OfType<EpochEvent>().ToList();
        Assert.Equal(plainEpochs[1].Metrics[MetricNames.WeightDistance], resetEpochs[1].Metrics[MetricNames.WeightDistance]);
        Assert.NotEqual(plainEpochs[2].Metrics[MetricNames.WeightDistance], resetEpochs[2].Metrics[MetricNames.WeightDistance]);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(16)]
    public void A_one_sample_ragged_tail_joins_the_last_batch_instead_of_failing_as_a_one_sample_BN(int ghost)
    {
        // 129 = 2 × 64 + 1: two steps per epoch, the second with 65 samples.
        var events = Run(Config(ghost) with { TrainSubset = 129, LastBatch = LastBatchPolicy.Keep });

        Assert.Equal([0L, 2, 4], events.OfType<EpochEvent>().Select(e => e.Step));
        Assert.True(double.IsFinite(events.OfType<EpochEvent>().Last().Metrics[MetricNames.TrainLoss]));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}

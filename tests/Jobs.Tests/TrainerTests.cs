using Sweep.Domain.Sweeps;
using Sweep.Domain.Results;
using Sweep.Jobs.Engine;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

public sealed class TrainerTests : IDisposable
{
    private readonly string _data = SyntheticIdxDataset.Create(Directory.CreateTempSubdirectory("sweep-train-").FullName, 512, 128);

    private TrainerConfig Config(int batch = 64, int ghost = 16, int epochs = 3) => new()
    {
        Dataset = "mnist",
        Model = "f1",
        DataDir = _data,
        BatchSize = batch,
        GhostBatchSize = ghost,
        Epochs = epochs,
        LearningRate = 0.05,
        Seed = 3,
        DistanceEveryNSteps = 4,
        DistanceGeometric = false,
    };

    private static List<TrainEvent> Run(TrainerConfig config)
    {
        var sink = new RecordingSink();
        Assert.Equal(TrainOutcome.Completed, new Trainer(config, sink).Run(CancellationToken.None));
        return sink.Events;
    }

    [Fact]
    public void Training_reports_every_epoch_and_the_loss_falls()
    {
        var events = Run(Config());

        Assert.IsType<StartedEvent>(events[0]);
        var epochs = events.OfType<EpochEvent>().ToList();
        Assert.Equal([0, 1, 2, 3], epochs.Select(e => e.Epoch));
        Assert.Equal([0L, 8, 16, 24], epochs.Select(e => e.Step));
        foreach (var e in epochs)
        {
            Assert.InRange(e.Metrics[MetricNames.TrainAccuracy], 0, 1);
            Assert.InRange(e.Metrics[MetricNames.ValAccuracy], 0, 1);
            Assert.True(double.IsFinite(e.Metrics[MetricNames.ValLoss]));
            Assert.Equal(e.Metrics[MetricNames.TrainAccuracy] - e.Metrics[MetricNames.ValAccuracy], e.Metrics[MetricNames.GeneralizationGap], 12);
        }

        Assert.True(epochs[^1].Metrics[MetricNames.TrainLoss] < epochs[0].Metrics[MetricNames.TrainLoss] * 0.7);
        Assert.True(epochs[^1].Metrics[MetricNames.ValAccuracy] > 0.5);
        Assert.Equal([4L, 8, 12, 16, 20, 24], events.OfType<DistanceEvent>().Select(d => d.Step));
        Assert.True(epochs[^1].Metrics.ContainsKey("weightDistance.layers.fc0.weight"));
        var completed = Assert.IsType<CompletedEvent>(events[^1]);
        Assert.Equal(epochs[^1].Metrics[MetricNames.ValAccuracy], completed.Metrics[MetricNames.ValAccuracy]);
    }

    [Fact]
    public void Every_epoch_reports_the_trainer_processs_peak_memory_and_cpu_time_so_far()
    {
        var epochs = Run(Config(epochs: 2)).OfType<EpochEvent>().ToList();

        // libtorch and the dataset alone hold well over 50 MiB; the CPU time only grows, and training takes some.
        Assert.All(epochs, e => Assert.InRange(e.Metrics[MetricNames.PeakRssMiB], 50, 64 * 1024));
        var cpu = epochs.Select(e => e.Metrics[MetricNames.CpuSeconds]).ToList();
        Assert.Equal(cpu.Order(), cpu);
        Assert.True(cpu[^1] > cpu[0], $"CPU seconds by epoch: {string.Join(", ", cpu)}");
        Assert.True(epochs[^1].Metrics[MetricNames.PeakRssMiB] >= epochs[0].Metrics[MetricNames.PeakRssMiB]);
    }

    [Fact]
    public void The_same_seed_gives_identical_metrics()
    {
        static IEnumerable<KeyValuePair<string, double>> Deterministic(List<TrainEvent> events) =>
            events.OfType<EpochEvent>().SelectMany(e => e.Metrics)
                .Where(m => !MetricNames.Measured.Contains(m.Key));

        var first = Run(Config(epochs: 2));
        var second = Run(Config(epochs: 2));

        Assert.Equal(Deterministic(first), Deterministic(second));
        Assert.Equal(first.OfType<DistanceEvent>().Select(d => d.Value), second.OfType<DistanceEvent>().Select(d => d.Value));
    }

    [Fact]
    public void Vectorized_sequential_ghost_BN_matches_the_reference_accumulate_loop_after_one_step()
    {
        // One step: the training set is exactly one batch of 4 ghost batches.
        var vectorized = Config(batch: 128, ghost: 32, epochs: 1) with { TrainSubset = 128, GbnImplementation = GbnImplementation.Vectorized };
        var accumulate = vectorized with { GbnImplementation = GbnImplementation.Accumulate };

        var a = Run(vectorized).OfType<EpochEvent>().Last().Metrics;
        var b = Run(accumulate).OfType<EpochEvent>().Last().Metrics;

        Assert.Equal(1, a[MetricNames.Steps]);
        foreach (var key in a.Keys.Where(k => k.StartsWith(MetricNames.WeightDistance, StringComparison.Ordinal) || k is MetricNames.TrainLoss or MetricNames.ValLoss or "runningTrainLoss"))
        {
            Assert.True(Math.Abs(a[key] - b[key]) <= 1e-4 * Math.Max(1, Math.Abs(a[key])), $"{key}: {a[key]} vs {b[key]}");
        }
    }

    [Fact]
    public void A_huge_learning_rate_ends_as_diverged_with_the_metrics_so_far()
    {
        var sink = new RecordingSink();
        var config = Config(epochs: 3) with { LearningRate = 1e30, GradientClipNorm = null };

        Assert.Equal(TrainOutcome.Diverged, new Trainer(config, sink).Run(CancellationToken.None));
        Assert.Equal("diverged", Assert.IsType<FailedEvent>(sink.Events[^1]).Kind);
        Assert.Contains(sink.Events, e => e is EpochEvent { Epoch: 0 });
    }

    [Fact]
    public void A_cancelled_run_stops_and_says_so()
    {
        var sink = new RecordingSink();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.Equal(TrainOutcome.Cancelled, new Trainer(Config(), sink).Run(cancel.Token));
        Assert.Equal("cancelled", Assert.IsType<FailedEvent>(sink.Events[^1]).Kind);
    }

    [Fact]
    public void A_drained_run_finishes_its_epoch_writes_its_checkpoint_and_stops()
    {
        var checkpoint = Path.Combine(_data, "drained.bin");
        var sink = new RecordingSink();
        using var drain = new CancellationTokenSource();
        drain.Cancel();

        Assert.Equal(TrainOutcome.Drained, new Trainer(Config(epochs: 3) with { CheckpointPath = checkpoint }, sink).Run(CancellationToken.None, drain.Token));
        Assert.Equal(1, Assert.IsType<CheckpointEvent>(sink.Events[^1]).Epoch);
        Assert.True(File.Exists(checkpoint));
        Assert.DoesNotContain(sink.Events, e => e is FailedEvent or CompletedEvent);
    }

    [Fact]
    public void A_resumed_run_continues_exactly_as_an_uninterrupted_one()
    {
        var checkpoint = Path.Combine(_data, "checkpoint.bin");
        var config = Config(epochs: 3) with { CheckpointPath = checkpoint, MnistPadCrop = true };
        var uninterrupted = Run(config).OfType<EpochEvent>().ToList();

        // Interrupt after epoch 2's checkpoint, then resume from it.
        using var cancel = new CancellationTokenSource();
        var first = new RecordingSink(e =>
        {
            if (e is CheckpointEvent { Epoch: 2 })
            {
                cancel.Cancel();
            }
        });
        Assert.Equal(TrainOutcome.Cancelled, new Trainer(config, first).Run(cancel.Token));
        var resumed = Run(config with { ResumeFrom = checkpoint });

        Assert.Equal(2, Assert.IsType<StartedEvent>(resumed[0]).ResumedFromEpoch);
        var resumedEpochs = resumed.OfType<EpochEvent>().ToList();
        Assert.Equal([3], resumedEpochs.Select(e => e.Epoch));
        Assert.Equal(uninterrupted[^1].Step, resumedEpochs[0].Step);
        foreach (var (key, value) in uninterrupted[^1].Metrics.Where(m => !MetricNames.Measured.Contains(m.Key)))
        {
            Assert.True(value == resumedEpochs[0].Metrics[key], $"{key}: {value} uninterrupted vs {resumedEpochs[0].Metrics[key]} resumed");
        }
    }

    [Fact]
    public void A_kept_ragged_last_batch_adds_a_step_with_smaller_ghost_batches()
    {
        // 100 samples, B = 32: three full batches and one of 4, split into ghost batches of 8 and a remainder.
        var config = Config(batch: 32, ghost: 8, epochs: 1) with { TrainSubset = 100, LastBatch = LastBatchPolicy.Keep };

        var epochs = Run(config).OfType<EpochEvent>().ToList();

        Assert.Equal(4, epochs[^1].Step);
        Assert.Equal(3, Run(config with { LastBatch = LastBatchPolicy.Drop }).OfType<EpochEvent>().Last().Step);
    }

    [Fact]
    public void Recomputed_running_statistics_change_evaluation_but_not_the_weights()
    {
        var sequential = Run(Config(epochs: 1)).OfType<EpochEvent>().Last().Metrics;
        var recompute = Run(Config(epochs: 1) with { RunningStats = RunningStatsPolicy.Recompute }).OfType<EpochEvent>().Last().Metrics;

        Assert.Equal(sequential[MetricNames.WeightDistance], recompute[MetricNames.WeightDistance]);
        Assert.NotEqual(sequential[MetricNames.ValLoss], recompute[MetricNames.ValLoss]);
    }

    [Fact]
    public void The_gradient_noise_scale_is_estimated_per_epoch_when_asked()
    {
        var metrics = Run(Config(batch: 64, ghost: 16, epochs: 1) with { GradientNoiseScale = true }).OfType<EpochEvent>().Last().Metrics;

        Assert.True(double.IsFinite(metrics["gradientNoiseScale"]), $"B_simple = {metrics["gradientNoiseScale"]}");
    }

    [Fact]
    public void Evaluating_every_second_epoch_measures_epochs_2_and_4_and_the_last_and_trains_identically()
    {
        var every = Run(Config(epochs: 5)).OfType<EpochEvent>().ToList();
        var sparse = Run(Config(epochs: 5) with { EvaluateEveryEpochs = 2 }).OfType<EpochEvent>().ToList();

        // Epoch 0 is the measurement before training; 2 and 4 are scheduled; 5 is the last and always measured.
        Assert.Equal([0, 2, 4, 5], sparse.Where(e => e.Metrics.ContainsKey(MetricNames.ValAccuracy)).Select(e => e.Epoch));
        Assert.All(sparse.Where(e => e.Epoch is 1 or 3), e => Assert.True(e.Metrics.ContainsKey("runningTrainLoss") && e.Metrics.ContainsKey(MetricNames.WeightDistance)));

        // Skipping the clean passes changes nothing about training: the same seed ends at the same weights.
        Assert.Equal(every[^1].Metrics[MetricNames.WeightDistance], sparse[^1].Metrics[MetricNames.WeightDistance]);
        Assert.Equal(every[^1].Metrics[MetricNames.ValAccuracy], sparse[^1].Metrics[MetricNames.ValAccuracy]);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}

using Sweep.Domain.Results;
using Sweep.Jobs.Engine;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>Issue 15, item 8: checkpoints every k epochs, none after the last, and training unchanged by k.</summary>
public sealed class CheckpointScheduleTests : IDisposable
{
    private readonly string _data = SyntheticIdxDataset.Create(Directory.CreateTempSubdirectory("sweep-ckpt-").FullName, 512, 128);

    private TrainerConfig Config(int epochs, int every) => new()
    {
        Dataset = "mnist",
        Model = "f1",
        DataDir = _data,
        BatchSize = 64,
        GhostBatchSize = 16,
        Epochs = epochs,
        LearningRate = 0.05,
        Seed = 3,
        DistanceEveryNSteps = 4,
        DistanceGeometric = false,
        CheckpointPath = Path.Combine(_data, $"checkpoint-{every}.bin"),
        CheckpointEveryEpochs = every,
    };

    private static List<TrainEvent> Run(TrainerConfig config)
    {
        var sink = new RecordingSink();
        Assert.Equal(TrainOutcome.Completed, new Trainer(config, sink).Run(CancellationToken.None));
        return sink.Events;
    }

    [Fact]
    public void Every_second_epoch_checkpoints_epochs_2_and_4_of_5_and_trains_as_every_epoch_does()
    {
        var sparse = Run(Config(epochs: 5, every: 2));
        var dense = Run(Config(epochs: 5, every: 1));

        Assert.Equal([2, 4], sparse.OfType<CheckpointEvent>().Select(e => e.Epoch));

        // k = 1 (the default) saves after every epoch but the last: a completed trial has no use for it.
        Assert.Equal([1, 2, 3, 4], dense.OfType<CheckpointEvent>().Select(e => e.Epoch));

        // Each checkpoint follows its epoch's metrics, so a resume never skips a recorded epoch.
        var order = sparse.Where(e => e is EpochEvent or CheckpointEvent).Select(e => e is CheckpointEvent c ? $"c{c.Epoch}" : $"e{((EpochEvent)e).Epoch}");
        Assert.Equal(["e0", "e1", "e2", "c2", "e3", "e4", "c4", "e5"], order);

        // Saving is not training: both end at the same weights.
        Assert.Equal(dense.OfType<EpochEvent>().Last().Metrics[MetricNames.WeightDistance], sparse.OfType<EpochEvent>().Last().Metrics[MetricNames.WeightDistance]);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}

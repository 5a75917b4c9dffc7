using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>
/// A folder with <see cref="SyntheticIdxDataset"/>'s images, whose classes an F1 separates perfectly, with a random
/// label on every third sample: the model then stays well short of perfect, where a logit that moved could flip a
/// prediction. The fixture trains the default <see cref="Config"/> once, so that the tests that only evaluate its
/// checkpoint share one run of the trainer instead of repeating an identical one.
/// </summary>
public sealed class NoisyMnistCheckpoint : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweep-clean-eval-").FullName;

    public NoisyMnistCheckpoint()
    {
        SyntheticIdxDataset.Create(Data, 1000, 300, gzip: false);
        var random = new Random(9);
        foreach (var (name, count) in new[] { ("train", 1000), ("t10k", 300) })
        {
            var labels = Enumerable.Range(0, count).Select(n => (byte)(n % 3 == 0 ? random.Next(10) : n % 10)).ToArray();
            SyntheticIdxDataset.Write(Path.Combine(Data, $"{name}-labels-idx1-ubyte"), [count], labels, gzip: false);
        }

        // Its own checkpoint file: a test's trainer on the same configuration must start from scratch, not resume.
        Trained = Config() with { CheckpointPath = Path.Combine(_folder, "trained.ckpt") };
        var outcome = new Trainer(Trained, new RecordingSink()).Run(CancellationToken.None);
        if (outcome != TrainOutcome.Completed)
        {
            throw new InvalidOperationException($"the fixture's training ended {outcome}");
        }
    }

    public string Data => Path.Combine(_folder, "data");

    /// <summary>The default configuration, which the fixture trained: its checkpoint holds the model after epoch 1.</summary>
    public TrainerConfig Trained { get; }

    /// <summary>F1 on the noisy data with ghost BN, 2 epochs; each policy and statistic writes its own checkpoint.</summary>
    public TrainerConfig Config(RunningStatsPolicy policy = RunningStatsPolicy.Sequential, EvalStatistics evalStatistics = EvalStatistics.Running) => new()
    {
        Dataset = "mnist",
        Model = "f1",
        DataDir = Data,
        BatchSize = 64,
        GhostBatchSize = 16,
        RunningStats = policy,
        EvalStatistics = evalStatistics,

        Epochs = 2,
        LearningRate = 0.02,
        Seed = 5,
        CheckpointPath = Path.Combine(_folder, $"{policy}-{evalStatistics}.ckpt"),
        DistanceGeometric = false,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

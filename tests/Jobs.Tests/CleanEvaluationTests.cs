using Sweep.Domain.Catalog;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;
using Sweep.Jobs.Engine.Data;
using Sweep.Jobs.Engine.Models;
using Sweep.Testing;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sweep.Jobs.Tests;

/// <summary>
/// The clean evaluation (any batch size, inference mode, sums kept on the tensor side) against a plain reference: small
/// batches under no_grad, every batch's loss and correct count read back and summed in double on the host. The model is
/// an F1 the real trainer trained with ghost BN, read back from its checkpoint.
/// </summary>
public sealed class CleanEvaluationTests(NoisyMnistCheckpoint noisy) : IClassFixture<NoisyMnistCheckpoint>
{
    private const int ReferenceBatch = 50;

    [Theory]
    [InlineData(RunningStatsPolicy.Sequential, EvalStatistics.Running)]
    [InlineData(RunningStatsPolicy.Mean, EvalStatistics.Running)]
    [InlineData(RunningStatsPolicy.Algorithm1, EvalStatistics.Running)]
    [InlineData(RunningStatsPolicy.Sequential, EvalStatistics.Recompute)]
    public void The_trainers_clean_metrics_equal_a_batch_by_batch_evaluation_of_its_checkpoint(RunningStatsPolicy policy, EvalStatistics evalStatistics)
    {
        var config = noisy.Config(policy, evalStatistics);
        var sink = new RecordingSink();
        Assert.Equal(TrainOutcome.Completed, new Trainer(config, sink).Run(CancellationToken.None));
        var epochs = sink.Events.OfType<EpochEvent>().ToList();
        using var data = DatasetLoader.Load(Datasets.Mnist, noisy.Data);

        // Epoch 0 measures the initialization, which the seed alone fixes; epoch 1's model is in the checkpoint.
        manual_seed(config.Seed);
        using (var initial = ModelFactory.Create(config, Datasets.Mnist))
        {
            AssertMatchesReference(initial, data, config, epochs.Single(e => e.Epoch == 0).Metrics);
        }

        using var trained = LoadCheckpoint(config);
        var accuracy = AssertMatchesReference(trained, data, config, epochs.Single(e => e.Epoch == 1).Metrics);
        Assert.InRange(accuracy, 0.3, 0.9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)]
    [InlineData(1000)]
    [InlineData(10_000)]
    public void Any_batch_size_gives_the_reference_figures_and_leaves_the_model_in_train_mode(int batchSize)
    {
        using var data = DatasetLoader.Load(Datasets.Mnist, noisy.Data);
        using var model = LoadCheckpoint(noisy.Trained);

        foreach (var split in new[] { data.Train, data.Test })
        {
            var (referenceLoss, referenceAccuracy) = Reference(model, split);
            var (loss, accuracy) = CleanEvaluation.Evaluate(model, split, batchSize);
            Assert.True(model.training);
            Assert.Equal(referenceAccuracy, accuracy);
            AssertClose(referenceLoss, loss);
        }
    }

    /// <summary>Asserts the reported clean metrics against the reference, with the statistics the config evaluates with; returns the validation accuracy.</summary>
    private static double AssertMatchesReference(nn.Module<Tensor, Tensor> model, LoadedDataset data, TrainerConfig config, IReadOnlyDictionary<string, double> reported)
    {
        if (config.EvalStatistics == EvalStatistics.Recompute)
        {
            new TrialMeasurement(config).RecomputeRunningStats(model, data.Train);
        }

        var (trainLoss, trainAccuracy) = Reference(model, data.Train);
        var (valLoss, valAccuracy) = Reference(model, data.Test);
        Assert.Equal(trainAccuracy, reported[MetricNames.TrainAccuracy]);
        Assert.Equal(valAccuracy, reported[MetricNames.ValAccuracy]);
        AssertClose(trainLoss, reported[MetricNames.TrainLoss]);
        AssertClose(valLoss, reported[MetricNames.ValLoss]);
        return valAccuracy;
    }

    /// <summary>The trainer's model after epoch 1, as its checkpoint holds it (weights and BN running statistics).</summary>
    private static nn.Module<Tensor, Tensor> LoadCheckpoint(TrainerConfig config)
    {
        var model = ModelFactory.Create(config, Datasets.Mnist);
        using var optimizer = new OptimizerSlot(model.parameters().ToList(), config);
        var (epoch, _) = Checkpoint.Load(config.CheckpointPath!, model, optimizer.Current);
        Assert.Equal(1, epoch);
        return model;
    }

    /// <summary>Small batches in eval mode under no_grad; each batch's loss and correct count summed in double on the host.</summary>
    private static (double Loss, double Accuracy) Reference(nn.Module<Tensor, Tensor> model, InMemoryDataset data)
    {
        model.eval();
        using var noGrad = no_grad();
        var lossSum = 0.0;
        var correct = 0L;
        for (long start = 0; start < data.Count; start += ReferenceBatch)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(ReferenceBatch, data.Count - start);
            var y = data.Labels.narrow(0, start, length);
            var logits = model.forward(data.Inputs.narrow(0, start, length));
            lossSum += F.cross_entropy(logits, y, reduction: nn.Reduction.None).data<float>().ToArray().Sum(v => (double)v);
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }

        model.train();
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Abs(expected), $"expected {expected:R}, got {actual:R} (relative difference {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
}

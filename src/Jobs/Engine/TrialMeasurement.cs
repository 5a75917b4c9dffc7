using System.Diagnostics;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine.Data;
using Sweep.Jobs.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweep.Jobs.Engine;

/// <summary>
/// What a trial measures between steps: clean train and validation loss and accuracy in eval mode (with the running
/// or recomputed BN statistics), ‖w_t − w_0‖ globally and per layer, and the guard inputs. Training itself lives in
/// <see cref="Trainer"/>.
/// </summary>
internal sealed class TrialMeasurement(TrainerConfig config)
{
    internal Dictionary<string, double> Measure(
        nn.Module<Tensor, Tensor> model,
        InMemoryDataset train,
        InMemoryDataset test,
        List<(string name, Parameter parameter)> parameters,
        List<Tensor> initial,
        double lr,
        long step,
        Stopwatch wall)
    {
        var ((trainLoss, trainAccuracy), (valLoss, valAccuracy)) = WithEvaluationStatistics(model, train, () => (Evaluate(model, train), Evaluate(model, test)));
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.RunningStatsInitialWeight] = InitialStatsWeight(model),
            [MetricNames.TrainLoss] = trainLoss,
            [MetricNames.TrainAccuracy] = trainAccuracy,
            [MetricNames.ValLoss] = valLoss,
            [MetricNames.ValAccuracy] = valAccuracy,
            [MetricNames.GeneralizationGap] = trainAccuracy - valAccuracy,
            [MetricNames.WeightDistance] = Distance(parameters, initial),
            [MetricNames.Steps] = step,
            [MetricNames.WallSeconds] = wall.Elapsed.TotalSeconds,
            ["learningRate"] = lr,
        };

        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            metrics[$"{MetricNames.WeightDistance}.{parameters[i].name}"] = (parameters[i].parameter - initial[i]).norm().item<float>();
        }

        ProcessResources.AddTo(metrics);
        return metrics;
    }

    /// <summary>An epoch's metrics without the evaluation passes: distance, steps, time, learning rate and resource use.</summary>
    internal Dictionary<string, double> Progress(nn.Module<Tensor, Tensor> model, List<(string name, Parameter parameter)> parameters, List<Tensor> initial, double lr, long step, Stopwatch wall)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.RunningStatsInitialWeight] = InitialStatsWeight(model),
            [MetricNames.WeightDistance] = Distance(parameters, initial),
            [MetricNames.Steps] = step,
            [MetricNames.WallSeconds] = wall.Elapsed.TotalSeconds,
            ["learningRate"] = lr,
        };
        ProcessResources.AddTo(metrics);
        return metrics;
    }

    /// <summary>Clean loss and accuracy in eval mode (running BN statistics, no augmentation), without gradients.</summary>
    internal (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, InMemoryDataset data) =>
        CleanEvaluation.Evaluate(model, data, config.EvalBatchSize);

    /// <summary>
    /// Re-estimates every ghost BN's running statistics as the exact mean over ghost-sized chunks of the training
    /// data (momentum 1/(i+1) for the i-th chunk), in train mode without gradients.
    /// </summary>
    internal void RecomputeRunningStats(nn.Module<Tensor, Tensor> model, InMemoryDataset train)
    {
        var norms = model.modules().OfType<GhostBatchNorm>().ToList();
        var momenta = norms.Select(n => n.Momentum).ToList();
        foreach (var norm in norms)
        {
            norm.ResetRunningStats();
            norm.Recomputing = true;
        }

        model.train();
        using (var noGrad = no_grad())
        {
            var chunks = train.Count / config.GhostBatchSize;
            for (var i = 0L; i < chunks; i++)
            {
                using var scope = NewDisposeScope();
                foreach (var norm in norms)
                {
                    norm.Momentum = 1.0 / (i + 1);
                }

                model.forward(train.Inputs.narrow(0, i * config.GhostBatchSize, config.GhostBatchSize));
            }
        }

        for (var i = 0; i < norms.Count; i++)
        {
            norms[i].Momentum = momenta[i];
            norms[i].Recomputing = false;
        }
    }

    internal static double Distance(List<(string name, Parameter parameter)> parameters, List<Tensor> initial)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var total = zeros(1, ScalarType.Float64, initial[0].device);
        for (var i = 0; i < parameters.Count; i++)
        {
            total.add_((parameters[i].parameter - initial[i]).pow(2).sum().to_type(ScalarType.Float64));
        }

        return Math.Sqrt(total.item<double>());
    }

    /// <summary>The largest weight the initial statistics hold in any BN layer's buffers that evaluation reads.</summary>
    internal double InitialStatsWeight(nn.Module<Tensor, Tensor> model) =>
        config.EvalStatistics == EvalStatistics.Recompute
            ? 0
            : model.modules().OfType<GhostBatchNorm>().Select(n => n.InitialStatsWeight).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Runs an evaluation with the statistics <see cref="TrainerConfig.EvalStatistics"/> asks for: as they are, or
    /// re-estimated exactly over the training data and restored afterwards, so that training continues unchanged.
    /// </summary>
    internal T WithEvaluationStatistics<T>(nn.Module<Tensor, Tensor> model, InMemoryDataset train, Func<T> evaluate)
    {
        if (config.EvalStatistics != EvalStatistics.Recompute)
        {
            return evaluate();
        }

        using var snapshot = new BnStatisticsSnapshot(model);
        RecomputeRunningStats(model, train);
        return evaluate();
    }

    /// <summary>True when a clean pass produced a NaN or infinite loss (training's own loss was checked before).</summary>
    internal static bool EvaluationFailed(Dictionary<string, double> metrics) =>
        (metrics.TryGetValue(MetricNames.TrainLoss, out var train) && !double.IsFinite(train))
        || (metrics.TryGetValue(MetricNames.ValLoss, out var val) && !double.IsFinite(val));
}

using Sweep.Data.Entities;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

/// <summary>Resolves a trial row and its sweep spec into the trainer's configuration, via the domain's plan.</summary>
public static class TrainerConfigFactory
{
    public static (TrainerConfig Config, TrainingPlan Plan) Create(TrialRecord trial, SweepSpec spec, WorkerOptions worker)
    {
        var dataset = Datasets.Find(spec.Dataset) ?? throw new InvalidOperationException($"Unknown dataset '{spec.Dataset}'.");
        var cell = trial.CellOf();
        var trainSize = spec.Training.TrainSubset ?? dataset.TrainSize;
        var plan = TrainingPlan.Resolve(cell, spec.Training, trainSize);
        var config = new TrainerConfig
        {
            Dataset = dataset.Name,
            Model = spec.Model,
            DataDir = worker.DataDir,
            BatchSize = cell.BatchSize,
            GhostBatchSize = cell.GhostBatchSize,
            Epochs = plan.Epochs,
            LearningRate = plan.Schedule.PeakLearningRate,
            WarmupEpochs = plan.Schedule.WarmupEpochs,
            WarmupStartLearningRate = plan.Schedule.WarmupStartLearningRate,
            LrDrops = plan.Schedule.Drops,
            GbnImplementation = cell.GbnImplementation,
            RunningStats = cell.RunningStats,
            LastBatch = spec.Training.LastBatch,
            RaggedChunks = spec.Training.RaggedChunks,
            EvalStatistics = spec.Training.EvalStatistics,
            MomentumResetEpochs = plan.MomentumResetEpochs,
            DistanceGeometric = spec.Training.DistanceGeometric,
            MnistPadCrop = spec.Training.MnistPadCrop,
            GradientNoiseScale = spec.Training.GradientNoiseScale,
            DistanceEveryNSteps = spec.Training.DistanceEveryNSteps,
            CheckpointEveryEpochs = spec.Training.CheckpointEveryEpochs,
            BnMomentum = spec.Training.BnMomentum,
            EvaluateEveryEpochs = spec.Training.Evaluation == EvaluationSchedule.EveryBaseEpoch
                ? Math.Max(1, (int)Math.Round(cell.RegimeMultiplier))
                : 1,
            Momentum = spec.Training.Momentum,
            WeightDecay = spec.Training.WeightDecay,
            GradientClipNorm = spec.Training.GradientClipNorm,
            Seed = cell.Seed,
            TrainSubset = spec.Training.TrainSubset,
            Device = worker.Device,
            Threads = worker.TrainerThreads,
        };
        return (config, plan);
    }
}

using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Planning;

/// <summary>
/// The passes over samples that one trial makes, counted as the trainer makes them: every epoch trains on the
/// training set (or its subset), and every evaluation runs a clean forward pass over that training set and the whole
/// test set (the subset never shrinks the test set). On a small subset the evaluations are most of the work: 1,024
/// training samples per epoch against 11,024 evaluated ones.
/// </summary>
/// <param name="TrainSamples">Samples through forward and backward: epochs × training size, plus the noise-scale pass.</param>
/// <param name="EvalSamples">Samples through a forward pass only: evaluations × (training size + test size), plus statistics recomputation.</param>
public sealed record TrialWork(double TrainSamples, double EvalSamples)
{
    /// <summary>
    /// What a forward-only sample costs relative to a training one. Training is a forward and a backward pass, the
    /// backward about twice the forward: about 6N against 2N operations per sample for N parameters (Kaplan et al.
    /// 2020, "Scaling laws for neural language models", section 2.1), so an evaluated sample costs a third.
    /// </summary>
    public const double EvalCostRatio = 1.0 / 3.0;

    /// <summary>The work in training-sample equivalents, the unit a measured speed is expressed in.</summary>
    public double Units => TrainSamples + EvalCostRatio * EvalSamples;

    public static TrialWork Of(TrialCell cell, TrainingSpec training, DatasetInfo dataset)
    {
        var trainSize = training.TrainSubset is { } subset ? Math.Min(subset, dataset.TrainSize) : dataset.TrainSize;
        var epochs = TrainingPlan.Resolve(cell, training, Math.Max(trainSize, 1)).Epochs;
        var evaluations = 1 + EvaluatedEpochs(epochs, EvaluateEvery(cell, training));
        var train = (double)epochs * trainSize;
        if (training.GradientNoiseScale && cell.GhostBatchSize < cell.BatchSize)
        {
            train += (double)epochs * trainSize;
        }

        var eval = (double)evaluations * (trainSize + dataset.TestSize);
        if (cell.RunningStats == RunningStatsPolicy.Recompute)
        {
            // Re-estimating the statistics after training, then measuring again.
            eval += trainSize + (trainSize + dataset.TestSize);
        }

        return new TrialWork(train, eval);
    }

    /// <summary>The sum over a sweep's cells.</summary>
    public static TrialWork Sum(IEnumerable<TrialWork> works) =>
        works.Aggregate(new TrialWork(0, 0), (a, b) => new TrialWork(a.TrainSamples + b.TrainSamples, a.EvalSamples + b.EvalSamples));

    /// <summary>Every how many epochs the clean passes run: as the trainer's configuration (TrainerConfigFactory) sets it.</summary>
    public static int EvaluateEvery(TrialCell cell, TrainingSpec training) =>
        training.Evaluation == EvaluationSchedule.EveryBaseEpoch ? Math.Max(1, (int)Math.Round(cell.RegimeMultiplier)) : 1;

    /// <summary>Epochs followed by the clean passes: every <paramref name="every"/>-th one, and always the last.</summary>
    public static int EvaluatedEpochs(int epochs, int every) =>
        epochs <= 0 ? 0 : epochs / every + (epochs % every == 0 ? 0 : 1);
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Planning;

/// <summary>
/// The resolved arithmetic of one trial: the learning rate after batch-size scaling, and the epoch budget and
/// LR-drop epochs after regime adaptation. The trainer receives these numbers and never re-derives them.
/// </summary>
public sealed record TrainingPlan(
    double LearningRate,
    int Epochs,
    IReadOnlyList<int> LrDropEpochs,
    int StepsPerEpoch,
    long TotalSteps)
{
    public static TrainingPlan Resolve(TrialCell cell, TrainingSpec training, int trainSetSize)
    {
        var ratio = (double)cell.BatchSize / training.ReferenceBatchSize;
        var lr = training.LearningRate * training.LrScaling switch
        {
            LrScaling.None => 1.0,
            LrScaling.Sqrt => Math.Sqrt(ratio),
            LrScaling.Linear => ratio,
            _ => throw new ArgumentOutOfRangeException(nameof(training), training.LrScaling, "Unknown LR scaling rule."),
        };

        var epochs = Stretch(training.Epochs, cell.RegimeMultiplier);
        var drops = training.LrDropEpochs.Select(e => Stretch(e, cell.RegimeMultiplier)).Distinct().Order().ToList();

        // The last ragged batch is dropped, so every step sees exactly B samples and B/G equal ghost batches.
        var stepsPerEpoch = trainSetSize / cell.BatchSize;
        return new TrainingPlan(lr, epochs, drops, stepsPerEpoch, (long)stepsPerEpoch * epochs);
    }

    /// <summary>The learning rate in force during the given zero-based epoch: drops apply from their epoch on.</summary>
    public double LearningRateAt(int epoch, double dropFactor) =>
        LearningRate * Math.Pow(dropFactor, LrDropEpochs.Count(d => d <= epoch));

    /// <summary>Multiplies an epoch count by the regime factor; fractional factors round up so no budget is lost.</summary>
    private static int Stretch(int epochs, double factor) => (int)Math.Ceiling(epochs * factor - 1e-9);
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Planning;

/// <summary>
/// The resolved arithmetic of one trial: the learning rate after batch-size scaling, and the epoch budget, warmup
/// and LR drops after regime adaptation. The trainer receives these numbers and never re-derives them.
/// </summary>
public sealed record TrainingPlan(
    LearningRateSchedule Schedule,
    int Epochs,
    int StepsPerEpoch,
    long TotalSteps)
{
    /// <summary>The scaled peak learning rate.</summary>
    public double LearningRate => Schedule.PeakLearningRate;

    public IReadOnlyList<int> LrDropEpochs => Schedule.Drops.Select(d => d.Epoch).ToList();

    public static TrainingPlan Resolve(TrialCell cell, TrainingSpec training, int trainSetSize)
    {
        var ratio = (double)cell.BatchSize / training.ReferenceBatchSize;
        var lr = training.LearningRate * cell.LrScaling switch
        {
            LrScaling.None => 1.0,
            LrScaling.Sqrt => Math.Sqrt(ratio),
            LrScaling.Linear => ratio,
            _ => throw new ArgumentOutOfRangeException(nameof(cell), cell.LrScaling, "Unknown LR scaling rule."),
        };

        var r = cell.RegimeMultiplier;
        var drops = training.LrDropEpochs
            .Select((epoch, i) => new LrDrop(Stretch(epoch, r), training.DropFactorAt(i)))
            .OrderBy(d => d.Epoch)
            .ToList();
        var schedule = new LearningRateSchedule(lr, training.LearningRate, training.WarmupEpochs * r, drops);

        var epochs = Stretch(training.Epochs, r);
        var stepsPerEpoch = training.LastBatch == LastBatchPolicy.Drop
            ? trainSetSize / cell.BatchSize
            : (trainSetSize + cell.BatchSize - 1) / cell.BatchSize;
        return new TrainingPlan(schedule, epochs, stepsPerEpoch, (long)stepsPerEpoch * epochs);
    }

    /// <summary>Multiplies an epoch count by the regime factor; fractional factors round up so no budget is lost.</summary>
    private static int Stretch(int epochs, double factor) => (int)Math.Ceiling(epochs * factor - 1e-9);
}

public sealed record LrDrop(int Epoch, double Factor);

/// <summary>
/// The learning rate over training: a linear warmup from the reference rate to the scaled peak (Goyal et al.),
/// then the peak times every drop factor whose epoch has been reached ("sticky", as bigBatch's adjust_optimizer).
/// </summary>
public sealed record LearningRateSchedule(
    double PeakLearningRate,
    double WarmupStartLearningRate,
    double WarmupEpochs,
    IReadOnlyList<LrDrop> Drops)
{
    /// <summary>The rate at a point of training measured in epochs: 2.5 is half-way through the third epoch.</summary>
    public double At(double epochProgress)
    {
        var lr = PeakLearningRate;
        if (WarmupEpochs > 0 && epochProgress < WarmupEpochs)
        {
            lr = WarmupStartLearningRate + (PeakLearningRate - WarmupStartLearningRate) * epochProgress / WarmupEpochs;
        }

        foreach (var drop in Drops)
        {
            if (drop.Epoch <= epochProgress)
            {
                lr *= drop.Factor;
            }
        }

        return lr;
    }
}

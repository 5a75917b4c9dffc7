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

    /// <summary>Epochs at whose start the optimizer is re-created (momentum reset), after regime adaptation.</summary>
    public IReadOnlyList<int> MomentumResetEpochs { get; init; } = [];

    public static TrainingPlan Resolve(TrialCell cell, TrainingSpec training, int trainSetSize)
    {
        // main_gbn.py scales by B / mini_batch_size, its ghost size; main_normal.py by B / B_ref.
        var reference = training.LrReference == LrReference.Ghost ? Math.Min(cell.GhostBatchSize, cell.BatchSize) : training.ReferenceBatchSize;
        var ratio = (double)cell.BatchSize / reference;
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
        var warmup = training.WarmupUnderRegime == WarmupUnderRegime.Fixed ? training.WarmupEpochs : training.WarmupEpochs * r;
        var schedule = new LearningRateSchedule(lr, training.LearningRate, warmup, drops);

        var epochs = Stretch(training.Epochs, r);
        var stepsPerEpoch = StepsPerEpochOf(trainSetSize, cell.BatchSize, training.LastBatch);
        return new TrainingPlan(schedule, epochs, stepsPerEpoch, (long)stepsPerEpoch * epochs)
        {
            MomentumResetEpochs = training.MomentumResetEpochs.Where(e => e > 0).Select(e => Stretch(e, r)).Distinct().Order().ToList(),
        };
    }

    /// <summary>
    /// Steps per epoch: whole batches under <c>drop</c>; under <c>keep</c> one more for the ragged rest, unless that
    /// rest is a single sample, which joins the last whole batch (a one-sample batch cannot be normalized).
    /// </summary>
    public static int StepsPerEpochOf(long trainSetSize, int batchSize, LastBatchPolicy lastBatch)
    {
        var whole = (int)(trainSetSize / batchSize);
        var rest = trainSetSize % batchSize;
        return lastBatch == LastBatchPolicy.Drop || rest == 0 || (rest == 1 && whole > 0) ? whole : whole + 1;
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

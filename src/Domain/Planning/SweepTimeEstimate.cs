using Sweep.Domain.Catalog;
using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Planning;

/// <summary>A trial still to run, or running: its cell, and how many of its epochs are done.</summary>
public sealed record RemainingTrial(TrialCell Cell, int EpochsDone, int TotalEpochs, bool Running);

/// <summary>
/// Time arithmetic for sweeps: the builder's estimate before a sweep exists, and the ETA of one that runs. Both count
/// each trial's start-up and its evaluation passes (<see cref="TrialWork"/>), not just its training epochs.
/// </summary>
public static class SweepTimeEstimate
{
    /// <summary>Seconds to run every cell once on one worker.</summary>
    public static double Seconds(SweepSpec spec, IEnumerable<TrialCell> cells, DatasetInfo dataset, TrialSpeed speed) =>
        cells.Sum(cell => speed.SecondsFor(TrialWork.Of(cell, spec.Training, dataset)));

    /// <summary>
    /// Seconds until the given trials are done, spread over <paramref name="workers"/> (at least one): a queued trial
    /// costs its start-up and all its work, a running one the share of its epochs still to go (its start-up is paid).
    /// </summary>
    public static double Remaining(SweepSpec spec, IEnumerable<RemainingTrial> trials, DatasetInfo dataset, TrialSpeed speed, int workers)
    {
        var seconds = 0.0;
        foreach (var trial in trials)
        {
            var work = TrialWork.Of(trial.Cell, spec.Training, dataset);
            if (!trial.Running)
            {
                seconds += speed.SecondsFor(work);
                continue;
            }

            var left = trial.TotalEpochs <= 0 ? 1.0 : Math.Clamp(1.0 - (double)trial.EpochsDone / trial.TotalEpochs, 0, 1);
            seconds += left * speed.SecondsPerUnit * work.Units;
        }

        return seconds / Math.Max(1, workers);
    }

    /// <summary>How far an estimate was off: actual over estimated (2.0 = took twice as long); null without an estimate.</summary>
    public static double? Ratio(double estimatedSeconds, double actualSeconds) =>
        estimatedSeconds > 0 && actualSeconds >= 0 ? actualSeconds / estimatedSeconds : null;
}

using System.Globalization;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>A running trial's time left, from its own measured pace.</summary>
public static class TrialEta
{
    /// <summary>
    /// Epochs left times seconds per epoch, the pace being the latest <c>wallSeconds</c> over the epochs done. Null
    /// (unknown) unless the trial runs and has finished an epoch, and on a retried attempt: the trainer's clock
    /// restarts when it resumes from a checkpoint, so the pace would count only some of the epochs' time.
    /// </summary>
    public static double? Seconds(string state, int currentEpoch, int totalEpochs, int attempt, IReadOnlyDictionary<string, double> metrics)
    {
        if (state != TrialState.Running || currentEpoch <= 0 || attempt > 1
            || !metrics.TryGetValue(MetricNames.WallSeconds, out var wall) || !double.IsFinite(wall) || wall < 0)
        {
            return null;
        }

        return Math.Max(0, totalEpochs - currentEpoch) * wall / currentEpoch;
    }

    /// <summary>"45 s", "3 min 20 s", "2 h 05 min"; "—" when unknown.</summary>
    public static string Format(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s))
        {
            return "—";
        }

        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes:00} min")
            : t.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min {t.Seconds:00} s")
                : string.Create(CultureInfo.InvariantCulture, $"{t.Seconds} s");
    }
}

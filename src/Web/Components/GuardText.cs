using System.Globalization;
using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// How a guard flag (<see cref="GuardFlags"/>) reads on a page: a short badge name, a sentence in words, and with the
/// trial's metrics the number that raised it against its threshold ("initial running statistics hold 28 % (&gt; 1 %)").
/// </summary>
public static class GuardText
{
    /// <summary>The badge's text.</summary>
    public static string Name(string flag) => flag switch
    {
        GuardFlags.RunningStats => "running stats",
        GuardFlags.TrainEvalMismatch => "train/eval mismatch",
        GuardFlags.FewUpdates => "few updates",
        GuardFlags.OptimizationGap => "optimization gap",
        _ => flag,
    };

    /// <summary>What the flag means, without numbers (a heatmap cell may aggregate several trials).</summary>
    public static string Sentence(string flag) => flag switch
    {
        GuardFlags.RunningStats => $"initial running statistics hold more than {Percent(Guards.RunningStatsThreshold)} of their weight",
        GuardFlags.TrainEvalMismatch => $"train-mode and eval-mode train accuracy differ by more than {Points(Guards.TrainEvalThreshold)}",
        GuardFlags.FewUpdates => $"fewer than {Guards.MinUpdates} optimizer updates",
        GuardFlags.OptimizationGap => "clean train accuracy far below the baseline's: the gap is mostly optimization, not generalization",
        _ => flag,
    };

    /// <summary>The number that raised the flag and its threshold, from a trial's metrics; the sentence when it was not recorded.</summary>
    public static string Detail(string flag, IReadOnlyDictionary<string, double> metrics) => flag switch
    {
        GuardFlags.RunningStats when metrics.TryGetValue(MetricNames.RunningStatsInitialWeight, out var w) =>
            $"initial running statistics hold {Percent(w)} (> {Percent(Guards.RunningStatsThreshold)})",
        GuardFlags.TrainEvalMismatch when metrics.TryGetValue(MetricNames.TrainEvalModeDelta, out var d) =>
            $"train-mode − eval-mode train accuracy {Points(d)} (|Δ| > {Points(Guards.TrainEvalThreshold)})",
        GuardFlags.FewUpdates when metrics.TryGetValue(MetricNames.Steps, out var s) =>
            $"{s.ToString("F0", CultureInfo.InvariantCulture)} optimizer updates (< {Guards.MinUpdates})",
        _ => Sentence(flag),
    };

    /// <summary>A fraction as a percentage, with a decimal below 10 % so that 1.4 % does not read as 1 %.</summary>
    public static string Percent(double fraction)
    {
        var percent = fraction * 100;
        var format = Math.Abs(percent) < 10 && Math.Round(percent) != percent ? "0.0" : "0";
        return percent.ToString(format, CultureInfo.InvariantCulture) + " %";
    }

    /// <summary>A difference of accuracies in percentage points.</summary>
    public static string Points(double fraction) =>
        (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " points";
}

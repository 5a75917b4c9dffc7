using System.Globalization;
using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// How a metric reads on a page: its name with its unit, never the API key. Accuracies and gaps are stored as fractions
/// and shown as percent (accuracies) or percentage points (gaps), the units of the paper's tables. The paper's gap is
/// measured against SB (the baseline cell), positive meaning worse than SB; a trial's own train − validation accuracy
/// is another number, and says so.
/// </summary>
public static class MetricLabels
{
    public const string GapToSb = "gap to SB (points; positive = worse than SB)";

    public const string TrainMinusVal = "train − val accuracy (points)";

    public static string For(string metric) => metric switch
    {
        MetricNames.ValAccuracy => "validation accuracy (%)",
        MetricNames.TrainAccuracy => "train accuracy (%)",
        MetricNames.RunningTrainAccuracy => "running train accuracy (%)",
        MetricNames.ValError => "validation error (%)",
        MetricNames.GapToBaseline => GapToSb,
        MetricNames.GeneralizationGap => TrainMinusVal,
        MetricNames.ValLoss => "validation loss",
        MetricNames.TrainLoss => "train loss",
        MetricNames.WeightDistance => "‖w − w₀‖",
        MetricNames.Steps => "updates (steps)",
        MetricNames.WallSeconds => "wall time (s)",
        MetricNames.RunningStatsInitialWeight => "initial-statistics weight",
        MetricNames.TrainEvalModeDelta => "train-mode − eval-mode train accuracy (points)",
        MetricNames.PeakRssMiB => "trainer peak memory (MiB)",
        MetricNames.CpuSeconds => "trainer CPU time (s)",
        _ => metric,
    };

    /// <summary>True for metrics stored as fractions and shown ×100: accuracies and errors (%), gaps (points).</summary>
    public static bool IsFraction(string metric) => metric is MetricNames.ValAccuracy or MetricNames.TrainAccuracy
        or MetricNames.RunningTrainAccuracy or MetricNames.ValError or MetricNames.GapToBaseline or MetricNames.GeneralizationGap;

    /// <summary>The value in the unit of <see cref="For"/>: "83.5 %", "+1.2 pts", "0.423", "12,480", "31.2 s".</summary>
    public static string Format(string metric, double? value, int decimals = 1)
    {
        if (value is not { } v || double.IsNaN(v))
        {
            return "–";
        }

        var inv = CultureInfo.InvariantCulture;
        return metric switch
        {
            MetricNames.GapToBaseline or MetricNames.GeneralizationGap or MetricNames.TrainEvalModeDelta => (v * 100).ToString("+0." + new string('0', decimals) + ";−0." + new string('0', decimals) + ";0", inv) + " pts",
            _ when IsFraction(metric) => (v * 100).ToString("F" + decimals, inv) + " %",
            MetricNames.Steps => v.ToString("N0", inv),
            MetricNames.WallSeconds or MetricNames.CpuSeconds => v.ToString("F1", inv) + " s",
            MetricNames.PeakRssMiB => v.ToString("N0", inv) + " MiB",
            MetricNames.WeightDistance => v.ToString("F2", inv),
            _ => v.ToString("F3", inv),
        };
    }
}

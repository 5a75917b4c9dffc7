using Sweep.Domain.Results;

namespace Sweep.Web.Components;

/// <summary>
/// How a metric key reads on a page where two gaps could be confused: the paper's gap is measured against SB (the
/// baseline cell) with positive meaning worse than SB; a trial's own train − validation accuracy is another number.
/// </summary>
public static class MetricLabels
{
    public const string GapToSb = "gap to SB (SB − cell; positive = worse than SB)";

    public const string TrainMinusVal = "train − val";

    public static string For(string metric) => metric switch
    {
        MetricNames.GapToBaseline => GapToSb,
        MetricNames.GeneralizationGap => TrainMinusVal + " (" + metric + ")",
        _ => metric,
    };
}

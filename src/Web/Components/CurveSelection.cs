using System.Globalization;
using Sweep.Domain.Results;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>
/// The curves plotted before anyone picks: the informative ones, not the first few in grid order. Per configuration
/// (every grid value but the seed, all of whose seeds are taken so that the seed bands stay whole): the baseline
/// (B = G = B_ref at regime 1, what the gaps are measured against), the smallest and the largest batch, and the best
/// and the worst by validation accuracy (once some have one). Configurations, not trials, so that the selection does
/// not jump while a sweep runs: a configuration is chosen by its grid values, whether or not its trials have started.
/// </summary>
public static class CurveSelection
{
    /// <summary>The trials to plot, at most <paramref name="max"/>, in the order their configurations were chosen.</summary>
    public static IReadOnlyList<Guid> Default(IReadOnlyList<TrialView> trials, int referenceBatchSize, int max = CurveReader.MaxTrials)
    {
        var configurations = trials.GroupBy(Configuration).ToList();
        var scored = configurations
            .Select(g => (Group: g, Accuracy: g.Select(t => t.Metrics.GetValueOrDefault(MetricNames.ValAccuracy, double.NaN)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()))
            .ToList();
        var withAccuracy = scored.Where(s => double.IsFinite(s.Accuracy)).ToList();

        var picks = new List<IGrouping<string, TrialView>?>
        {
            configurations.FirstOrDefault(g => g.First() is { } t && t.BatchSize == referenceBatchSize && t.GhostBatchSize == referenceBatchSize && t.RegimeMultiplier == 1)
                ?? configurations.FirstOrDefault(g => g.First() is { } t && t.BatchSize == referenceBatchSize && t.GhostBatchSize == referenceBatchSize),
            configurations.MinBy(g => g.First().BatchSize),
            configurations.MaxBy(g => g.First().BatchSize),
            withAccuracy.Count > 0 ? withAccuracy.MaxBy(s => s.Accuracy).Group : null,
            withAccuracy.Count > 0 ? withAccuracy.MinBy(s => s.Accuracy).Group : null,
        };

        var chosen = new List<Guid>(max);
        foreach (var group in picks.OfType<IGrouping<string, TrialView>>().DistinctBy(g => g.Key))
        {
            chosen.AddRange(group.Select(t => t.Id).Where(id => !chosen.Contains(id)).Take(max - chosen.Count));
        }

        return chosen;
    }

    private static string Configuration(TrialView t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.BatchSize}|{t.GhostBatchSize}|{t.RegimeMultiplier:R}|{t.LrScaling}|{t.GbnImplementation}|{t.RunningStats}");
}

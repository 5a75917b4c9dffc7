using System.Globalization;
using System.Text;
using Sweep.Client;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;

namespace Sweep.Reproduce;

/// <summary>
/// The two B × G heatmaps as tables: each cell's validation accuracy over seeds with its 95 % interval and its guard
/// badges, and its paired difference to B = G = 128 of the same sweep (the paper's SB).
/// </summary>
public static class HeatmapBlock
{
    public static string Write(StudyResults results)
    {
        var text = new StringBuilder();
        foreach (var auto in new[] { false, true })
        {
            var label = auto ? $"regime auto = ceil(B / {StudyPlan.ReferenceBatch})" : "regime 1";
            var subset = StudySize.Samples(auto ? results.Size.HeatmapAutoTrainSubset : results.Size.HeatmapRegime1TrainSubset);
            var cells = Cells(results, auto);
            var baseline = cells.GetValueOrDefault((StudyPlan.ReferenceBatch, StudyPlan.ReferenceBatch));
            var accuracy = Table(results, cells, c => Format.Ci(SampleSummary.Of(c.Val.Values)) + Badges(c, baseline));
            var difference = Table(results, cells, c => baseline is null || ReferenceEquals(c, baseline) ? "0" : Format.Delta(Differences.Between(c.Val, baseline.Val)));
            var trials = cells.Values.SelectMany(c => c.Trials).ToList();
            var steps = trials.Select(t => StudyResults.Metric(t, MetricNames.Steps)).DefaultIfEmpty(double.NaN).ToList();
            var flagged = cells.Values.Where(c => Flags(c, baseline).Any()).ToList();

            text.AppendLine(CultureInfo.InvariantCulture, $"**{char.ToUpperInvariant(label[0])}{label[1..]}** ({Format.N(subset)} training images, seeds {string.Join(", ", results.Size.HeatmapSeeds)}). Validation accuracy %, mean ± 95 % CI over seeds:").AppendLine();
            text.AppendLine(accuracy).AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Paired difference to B = G = {StudyPlan.ReferenceBatch} (points) [95 % CI]:").AppendLine();
            text.AppendLine(difference).AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Updates per trial: {Format.N(steps.Min())} to {Format.N(steps.Max())}; the initial running statistics' largest remaining weight: {Weight(trials)}; {(flagged.Count == 0 ? "no cell carries a guard flag" : $"{flagged.Count} {(flagged.Count == 1 ? "cell carries" : "cells carry")} a guard flag (⚑ above)")}.").AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    private sealed record Cell(IReadOnlyList<TrialInfo> Trials, IReadOnlyDictionary<int, double> Val, IReadOnlyDictionary<int, double> Train);

    private static Dictionary<(int B, int G), Cell> Cells(StudyResults results, bool auto)
    {
        var cells = new Dictionary<(int, int), Cell>();
        foreach (var b in results.Size.HeatmapBatchSizes)
        {
            foreach (var g in Ghosts(results.Size, b))
            {
                var trials = results.HeatmapCell(auto, b, g);
                if (trials.Count > 0)
                {
                    cells[(b, g)] = new Cell(trials, StudyResults.BySeed(trials, MetricNames.ValAccuracy), StudyResults.BySeed(trials, MetricNames.TrainAccuracy));
                }
            }
        }

        return cells;
    }

    /// <summary>The study's ghost sizes that fit B, then B itself (plain BN).</summary>
    private static IEnumerable<int> Ghosts(StudySize size, int batch) =>
        size.HeatmapGhostSizes.Where(g => g < batch).Append(batch);

    private static string Table(StudyResults results, Dictionary<(int B, int G), Cell> cells, Func<Cell, string> value)
    {
        var ghosts = results.Size.HeatmapGhostSizes;
        var table = new MarkdownTable(["B \\ G", .. ghosts.Select(g => g.ToString(CultureInfo.InvariantCulture)), "B (plain BN)"]);
        foreach (var b in results.Size.HeatmapBatchSizes)
        {
            var row = ghosts.Select(g => g >= b ? "" : cells.TryGetValue((b, g), out var c) ? value(c) : "—")
                .Append(cells.TryGetValue((b, b), out var plain) ? value(plain) : "—");
            table.Add([b.ToString(CultureInfo.InvariantCulture), .. row]);
        }

        return table.ToString();
    }

    /// <summary>The cell's trials' flags, and the optimization-gap guard judged against the baseline cell, as the heatmap page does.</summary>
    private static IEnumerable<string> Flags(Cell cell, Cell? baseline) =>
        baseline is null || ReferenceEquals(cell, baseline)
            ? cell.Trials.SelectMany(t => t.Flags).Distinct()
            : TableBlock.Flags(cell.Trials, cell.Val, cell.Train, baseline.Val, baseline.Train).Distinct();

    private static string Badges(Cell cell, Cell? baseline)
    {
        var flags = Flags(cell, baseline).ToList();
        return flags.Count == 0 ? "" : " " + Format.Flags(flags);
    }

    private static string Weight(IEnumerable<TrialInfo> trials)
    {
        var weight = trials.Select(t => StudyResults.Metric(t, MetricNames.RunningStatsInitialWeight)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        return Format.Weight(weight);
    }
}

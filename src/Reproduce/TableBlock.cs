using System.Globalization;
using Sweep.Client;
using Sweep.Domain.Presets;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;

namespace Sweep.Reproduce;

/// <summary>
/// The paper's Table 1 row for F1, beside ours: validation and clean train accuracy with 95 % intervals over seeds,
/// the paired difference of every column to SB, the updates each made and the guards' badges.
/// </summary>
public static class TableBlock
{
    public static string Write(StudyResults results)
    {
        var row = PaperPresets.F1;
        var columns = PaperConfiguration.Columns;
        var trials = columns.ToDictionary(c => c, results.Column);
        var val = columns.ToDictionary(c => c, c => StudyResults.BySeed(trials[c], MetricNames.ValAccuracy));
        var train = columns.ToDictionary(c => c, c => StudyResults.BySeed(trials[c], MetricNames.TrainAccuracy));
        var sb = PaperColumn.SmallBatch;

        var table = new MarkdownTable(["", .. columns.Select(c => c.Label())]);
        table.Add(["Paper: F1 on MNIST, validation accuracy %", .. columns.Select(c => Format.F(row[c]))]);
        table.Add(["Paper: difference to SB (points)", .. columns.Select(c => Format.F(row[c] - row.SmallBatch))]);
        table.Add(["Sweep: validation accuracy %, mean ± 95 % CI", .. columns.Select(c => Format.Ci(SampleSummary.Of(val[c].Values)))]);
        table.Add(["Sweep: paired difference to SB (points) [95 % CI]", .. columns.Select(c => c == sb ? "0" : Format.Delta(Differences.Between(val[c], val[sb])))]);
        table.Add(["Sweep: clean train accuracy %, mean ± 95 % CI", .. columns.Select(c => Format.Ci(SampleSummary.Of(train[c].Values)))]);
        table.Add(["Sweep: train accuracy, paired difference to SB [95 % CI]", .. columns.Select(c => c == sb ? "0" : Format.Delta(Differences.Between(train[c], train[sb])))]);
        table.Add(["Sweep: updates per trial", .. columns.Select(c => Format.N(trials[c].Select(t => StudyResults.Metric(t, MetricNames.Steps)).DefaultIfEmpty(double.NaN).Average()))]);
        table.Add(["Sweep: seeds (n)", .. columns.Select(c => trials[c].Count.ToString(CultureInfo.InvariantCulture))]);
        table.Add(["Sweep: guard flags", .. columns.Select(c => Format.Flags(Flags(trials[c], val[c], train[c], val[sb], train[sb])))]);
        return table.ToString();
    }

    /// <summary>
    /// The badges of a column: every flag any of its trials carries, and the optimization-gap guard judged on the
    /// column's means against SB's (the guard compares a cell with its baseline, so no single trial has it).
    /// </summary>
    public static IEnumerable<string> Flags(
        IEnumerable<TrialInfo> trials,
        IReadOnlyDictionary<int, double> val,
        IReadOnlyDictionary<int, double> train,
        IReadOnlyDictionary<int, double> baselineVal,
        IReadOnlyDictionary<int, double> baselineTrain)
    {
        var flags = trials.SelectMany(t => t.Flags).ToList();
        if (val.Count > 0 && baselineVal.Count > 0
            && Guards.IsOptimizationGap(baselineTrain.Values.Average(), train.Values.Average(), baselineVal.Values.Average(), val.Values.Average()))
        {
            flags.Add(GuardFlags.OptimizationGap);
        }

        return flags;
    }
}

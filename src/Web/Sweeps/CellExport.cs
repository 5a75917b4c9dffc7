using System.Text;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// One configuration (every grid value but the seed) and one final metric, summarized over its completed seeds: n,
/// mean, std and 95 % interval; the difference baseline − cell (the paper's sign) with its interval, paired by seed
/// where the seeds match; whether that interval contains 0; and the cell's guard flags.
/// </summary>
public sealed record CellExportRow(
    int BatchSize,
    int GhostBatchSize,
    double RegimeMultiplier,
    string LrScaling,
    string GbnImplementation,
    string RunningStats,
    string Metric,
    int N,
    double? Mean,
    double? Std,
    double? Ci95Low,
    double? Ci95High,
    double? ToBaselineMean,
    double? ToBaselineLow,
    double? ToBaselineHigh,
    bool? ToBaselinePaired,
    bool? WithinNoise,
    IReadOnlyList<string> Flags);

/// <summary>The aggregate export: per cell over seeds, for each final metric (<see cref="MetricNames.Final"/>).</summary>
public static class CellExport
{
    private static readonly string[] Header =
    [
        "batchSize", "ghostBatchSize", "regimeMultiplier", "lrScaling", "gbnImplementation", "runningStats", "metric",
        "n", "mean", "std", "ci95Low", "ci95High", "toBaselineMean", "toBaselineLow", "toBaselineHigh", "toBaselinePaired", "withinNoise", "flags",
    ];

    /// <summary>
    /// The rows, cells in grid order and metrics in <see cref="MetricNames.Final"/> order. The baseline's values by
    /// seed are those of every completed trial in the baseline cell (B, G, regime), averaged per seed over other axes.
    /// </summary>
    public static IReadOnlyList<CellExportRow> Rows(IReadOnlyList<TrialResult> results, BaselineCell baseline)
    {
        var completed = results.Where(r => r.State == TrialState.Completed).ToList();
        var reference = completed.Where(r => IsBaseline(r.Cell, baseline)).ToList();
        var cells = completed
            .GroupBy(r => r.Cell with { Seed = 0 })
            .OrderBy(g => g.Key.BatchSize).ThenBy(g => g.Key.GhostBatchSize).ThenBy(g => g.Key.RegimeMultiplier)
            .ThenBy(g => g.Key.LrScaling).ThenBy(g => g.Key.GbnImplementation).ThenBy(g => g.Key.RunningStats);
        var rows = new List<CellExportRow>();
        foreach (var cell in cells)
        {
            var trials = cell.ToList();
            var isBaseline = IsBaseline(cell.Key, baseline);
            var flags = Flags(trials, reference, isBaseline);
            foreach (var metric in MetricNames.Final)
            {
                rows.Add(Row(cell.Key, metric, BySeed(trials, metric), isBaseline ? null : BySeed(reference, metric), flags));
            }
        }

        return rows;
    }

    private static CellExportRow Row(TrialCell cell, string metric, Dictionary<int, double> values, Dictionary<int, double>? reference, IReadOnlyList<string> flags)
    {
        var summary = SampleSummary.Of(values.Values);
        var difference = reference is null ? null : Differences.Between(reference, values);
        return new CellExportRow(
            cell.BatchSize, cell.GhostBatchSize, cell.RegimeMultiplier, ApiNames.Of(cell.LrScaling), ApiNames.Of(cell.GbnImplementation), ApiNames.Of(cell.RunningStats),
            metric, summary?.N ?? 0, summary?.Mean, summary?.Std, summary?.Ci95?.Low, summary?.Ci95?.High,
            difference?.Mean, difference?.Ci95?.Low, difference?.Ci95?.High, difference?.Paired, difference?.WithinNoise, flags);
    }

    /// <summary>The union of the trials' guard flags, plus optimization-gap when the cell's train deficit explains its gap.</summary>
    private static List<string> Flags(List<TrialResult> trials, List<TrialResult> reference, bool isBaseline)
    {
        var flags = trials.SelectMany(t => Guards.ForTrial(t.Metrics)).ToHashSet();
        if (!isBaseline
            && Mean(reference, MetricNames.TrainAccuracy) is { } baseTrain && Mean(trials, MetricNames.TrainAccuracy) is { } cellTrain
            && Mean(reference, MetricNames.ValAccuracy) is { } baseVal && Mean(trials, MetricNames.ValAccuracy) is { } cellVal
            && Guards.IsOptimizationGap(baseTrain, cellTrain, baseVal, cellVal))
        {
            flags.Add(GuardFlags.OptimizationGap);
        }

        return GuardFlags.All.Where(flags.Contains).ToList();
    }

    private static double? Mean(List<TrialResult> trials, string key)
    {
        var values = BySeed(trials, key);
        return values.Count > 0 ? values.Values.Average() : null;
    }

    private static Dictionary<int, double> BySeed(IEnumerable<TrialResult> trials, string key) =>
        trials.Select(t => (t.Cell.Seed, Value: t.Metrics.TryGetValue(key, out var v) ? v : double.NaN))
            .Where(x => double.IsFinite(x.Value))
            .GroupBy(x => x.Seed, x => x.Value)
            .ToDictionary(g => g.Key, g => g.Average());

    private static bool IsBaseline(TrialCell cell, BaselineCell baseline) =>
        cell.BatchSize == baseline.BatchSize && cell.GhostBatchSize == baseline.GhostBatchSize
        && Math.Abs(cell.RegimeMultiplier - baseline.RegimeMultiplier) <= 1e-9 * Math.Max(1, Math.Abs(baseline.RegimeMultiplier));

    /// <summary>The rows as CSV: header, one line per (cell, metric), flags joined by ';'.</summary>
    public static string ToCsv(IEnumerable<CellExportRow> rows)
    {
        var csv = new StringBuilder(Csv.Line(Header));
        foreach (var r in rows)
        {
            csv.Append(Csv.Line(
                Csv.Number(r.BatchSize), Csv.Number(r.GhostBatchSize), Csv.Number(r.RegimeMultiplier), Csv.Text(r.LrScaling), Csv.Text(r.GbnImplementation),
                Csv.Text(r.RunningStats), Csv.Text(r.Metric), Csv.Number(r.N), Csv.Number(r.Mean), Csv.Number(r.Std), Csv.Number(r.Ci95Low),
                Csv.Number(r.Ci95High), Csv.Number(r.ToBaselineMean), Csv.Number(r.ToBaselineLow), Csv.Number(r.ToBaselineHigh),
                Bool(r.ToBaselinePaired), Bool(r.WithinNoise), Csv.Text(string.Join(';', r.Flags))));
        }

        return csv.ToString();
    }

    private static string Bool(bool? value) => value switch { true => "true", false => "false", null => "" };
}

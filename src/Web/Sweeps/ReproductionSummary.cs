using Sweep.Domain.Presets;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// One column of a reproduction row: validation accuracy (fraction) over seeds, its 95 % interval, the clean train
/// accuracy, the paired difference to SB, the guard flags, and how many trials it covers.
/// </summary>
/// <param name="Seeds">Seeds with a completed, finite result; the mean and std are over these.</param>
/// <param name="Trials">Trials of this configuration in any state.</param>
/// <param name="Pending">Trials still queued or running.</param>
public sealed record ReproductionCell(PaperColumn Column, double? Mean, double? Std, int Seeds, int Trials, int Pending)
{
    /// <summary>The 95 % Student-t interval of the mean validation accuracy; null below two seeds.</summary>
    public Interval? Ci95 { get; init; }

    /// <summary>The mean clean (eval-mode) train accuracy over the same seeds' trials, or null.</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>
    /// SB − this column's validation accuracy, paired by seed (the paper's sign: positive is worse than SB), with its
    /// 95 % interval; null for SB itself or without values on both sides.
    /// </summary>
    public Difference? ToSmallBatch { get; init; }

    /// <summary>The difference's interval contains 0: the column is not distinguishable from SB at these seeds.</summary>
    public bool WithinNoise => ToSmallBatch?.WithinNoise == true;

    /// <summary>The guard flags of the column's completed trials, plus optimization-gap against SB (<see cref="GuardFlags"/>).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}

/// <summary>Sweep's numbers for the five columns, for one combination of the BN variants (usually the only one).</summary>
/// <param name="Variant">The ghost BN implementation and running-statistics policy, when the sweep varies them; else null.</param>
public sealed record ReproductionRow(string? Variant, IReadOnlyList<ReproductionCell> Cells);

/// <summary>
/// The paper's Table 1 for one sweep: which of its trials are SB, LB, +LR, +GBN and +RA (by
/// <see cref="PaperConfiguration.Classify"/>, with B_ref from the spec and the large batch the sweep's largest), their
/// validation accuracy over seeds with its 95 % interval and paired difference to SB, the guard flags, and the paper's
/// published row where the network matches.
/// </summary>
/// <param name="DatasetDiffers">The paper's row is for another dataset (F1 ran on MNIST, this sweep on Fashion-MNIST).</param>
public sealed record ReproductionSummary(
    string Model,
    string Dataset,
    int ReferenceBatchSize,
    int LargeBatch,
    IReadOnlyList<ReproductionRow> Rows,
    PaperRow? Paper,
    bool DatasetDiffers)
{
    /// <summary>Where the sweep departs from the preset whose paper numbers it is shown beside (<see cref="PresetDepartures"/>).</summary>
    public IReadOnlyList<PresetDeparture> Departures { get; init; } = [];

    /// <summary>Null when no trial of the sweep is one of the paper's configurations.</summary>
    public static ReproductionSummary? From(SweepDetail sweep) =>
        From(sweep.Spec, sweep.Model, sweep.Dataset, sweep.Trials);

    public static ReproductionSummary? From(SweepSpec spec, string model, string dataset, IEnumerable<TrialView> trials)
    {
        if (spec.Grid.BatchSize.Count == 0)
        {
            return null;
        }

        var reference = spec.Training.ReferenceBatchSize;
        var large = spec.Grid.BatchSize.Max();
        var classified = trials
            .Select(t => (Trial: t, Cell: t.Cell))
            .Select(x => (x.Trial, x.Cell, Column: PaperConfiguration.Classify(x.Cell, reference, large)))
            .Where(x => x.Column is not null)
            .ToList();
        if (classified.Count == 0)
        {
            return null;
        }

        var variants = classified.Select(x => (x.Cell.GbnImplementation, x.Cell.RunningStats)).Distinct()
            .OrderBy(v => v.GbnImplementation).ThenBy(v => v.RunningStats).ToList();
        var rows = variants.Select(variant =>
        {
            var mine = classified.Where(x => (x.Cell.GbnImplementation, x.Cell.RunningStats) == variant).ToList();
            var columns = PaperConfiguration.Columns.ToDictionary(c => c, c => mine.Where(x => x.Column == c).Select(x => x.Trial).ToList());
            var smallBatch = ColumnValues.Of(columns[PaperColumn.SmallBatch]);
            var cells = PaperConfiguration.Columns.Select(column => Cell(column, columns[column], smallBatch)).ToList();
            var label = variants.Count > 1
                ? $"{Name(variant.GbnImplementation)} ghost BN, {Name(variant.RunningStats)} running stats"
                : null;
            return new ReproductionRow(label, cells);
        }).ToList();

        var paper = PaperPresets.FindRow(model, dataset);
        return new ReproductionSummary(model, dataset, reference, large, rows, paper?.Row, paper?.DatasetDiffers ?? false)
        {
            Departures = paper is null ? [] : PresetDepartures.Of(spec),
        };
    }

    /// <summary>One column's numbers, compared with SB's (<paramref name="smallBatch"/>) seed by seed.</summary>
    private static ReproductionCell Cell(PaperColumn column, List<TrialView> trials, ColumnValues smallBatch)
    {
        var values = column == PaperColumn.SmallBatch ? smallBatch : ColumnValues.Of(trials);
        var summary = SampleSummary.Of(values.Validation.Values);
        var train = values.Train.Count > 0 ? values.Train.Values.Average() : (double?)null;
        var difference = column == PaperColumn.SmallBatch ? null : Differences.Between(smallBatch.Validation, values.Validation);
        var flags = trials.Where(t => t.State == TrialState.Completed).SelectMany(t => t.Flags).ToHashSet();
        var smallBatchTrain = smallBatch.Train.Count > 0 ? smallBatch.Train.Values.Average() : (double?)null;
        if (column != PaperColumn.SmallBatch && summary is not null && train is { } cellTrain && smallBatchTrain is { } sbTrain
            && smallBatch.Validation.Count > 0
            && Guards.IsOptimizationGap(sbTrain, cellTrain, smallBatch.Validation.Values.Average(), summary.Mean))
        {
            flags.Add(GuardFlags.OptimizationGap);
        }

        var pending = trials.Count(t => t.State is TrialState.Queued or TrialState.Running);
        return new ReproductionCell(column, summary?.Mean, summary?.Std, summary?.N ?? 0, trials.Count, pending)
        {
            Ci95 = summary?.Ci95,
            TrainAccuracy = train,
            ToSmallBatch = difference,
            Flags = GuardFlags.All.Where(flags.Contains).ToList(),
        };
    }

    /// <summary>
    /// A column's completed, finite values by seed. Cells that differ only in a setting with no effect here (SB's LR
    /// rule) are the same run: their values for one seed are averaged into one.
    /// </summary>
    private sealed record ColumnValues(IReadOnlyDictionary<int, double> Validation, IReadOnlyDictionary<int, double> Train)
    {
        public static ColumnValues Of(IEnumerable<TrialView> trials)
        {
            var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
            return new ColumnValues(BySeed(completed, MetricNames.ValAccuracy), BySeed(completed, MetricNames.TrainAccuracy));
        }

        private static Dictionary<int, double> BySeed(List<TrialView> trials, string key) =>
            trials.Select(t => (t.Seed, Value: t.Metrics.TryGetValue(key, out var v) ? v : double.NaN))
                .Where(x => double.IsFinite(x.Value))
                .GroupBy(x => x.Seed, x => x.Value)
                .ToDictionary(g => g.Key, g => g.Average());
    }

    private static string Name<T>(T value)
        where T : struct, Enum => ApiNames.Of(value);
}

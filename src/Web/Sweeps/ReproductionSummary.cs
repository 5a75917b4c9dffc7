using Sweep.Domain.Presets;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>One column of a reproduction row: validation accuracy (fraction) over seeds, and how many trials it covers.</summary>
/// <param name="Seeds">Seeds with a completed, finite result; the mean and std are over these.</param>
/// <param name="Trials">Trials of this configuration in any state.</param>
/// <param name="Pending">Trials still queued or running.</param>
public sealed record ReproductionCell(PaperColumn Column, double? Mean, double? Std, int Seeds, int Trials, int Pending);

/// <summary>Sweep's numbers for the five columns, for one combination of the BN variants (usually the only one).</summary>
/// <param name="Variant">The ghost BN implementation and running-statistics policy, when the sweep varies them; else null.</param>
public sealed record ReproductionRow(string? Variant, IReadOnlyList<ReproductionCell> Cells);

/// <summary>
/// The paper's Table 1 for one sweep: which of its trials are SB, LB, +LR, +GBN and +RA (by
/// <see cref="PaperConfiguration.Classify"/>, with B_ref from the spec and the large batch the sweep's largest), their
/// validation accuracy over seeds, and the paper's published row where the network matches.
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
            var cells = PaperConfiguration.Columns.Select(column =>
            {
                var inColumn = mine.Where(x => x.Column == column).ToList();

                // Cells that differ only in a setting with no effect here (SB's LR rule) are the same run: one value per seed.
                var perSeed = inColumn
                    .Where(x => x.Trial.State == TrialState.Completed)
                    .Select(x => (x.Cell.Seed, Value: x.Trial.Metrics.TryGetValue(MetricNames.ValAccuracy, out var v) ? v : double.NaN))
                    .Where(x => double.IsFinite(x.Value))
                    .GroupBy(x => x.Seed, x => x.Value)
                    .Select(g => g.Average())
                    .ToList();
                double? mean = perSeed.Count > 0 ? perSeed.Average() : null;
                double? std = perSeed.Count > 1
                    ? Math.Sqrt(perSeed.Sum(v => (v - mean!.Value) * (v - mean.Value)) / (perSeed.Count - 1))
                    : null;
                var pending = inColumn.Count(x => x.Trial.State is TrialState.Queued or TrialState.Running);
                return new ReproductionCell(column, mean, std, perSeed.Count, inColumn.Count, pending);
            }).ToList();
            var label = variants.Count > 1
                ? $"{Name(variant.GbnImplementation)} ghost BN, {Name(variant.RunningStats)} running stats"
                : null;
            return new ReproductionRow(label, cells);
        }).ToList();

        var paper = PaperPresets.FindRow(model, dataset);
        return new ReproductionSummary(model, dataset, reference, large, rows, paper?.Row, paper?.DatasetDiffers ?? false);
    }

    private static string Name<T>(T value)
        where T : struct, Enum => ApiNames.Of(value);
}

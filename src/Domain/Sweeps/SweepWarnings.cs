using System.Globalization;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Results;

namespace Sweep.Domain.Sweeps;

/// <summary>A builder warning about planned cells: which guard, the message, and how many planned cells it covers.</summary>
public sealed record SweepWarning(string Guard, string Message, int Cells);

/// <summary>
/// Warnings before submit: for every planned cell that would make fewer than <see cref="Guards.MinUpdates"/> updates,
/// or end with the initial running statistics above <see cref="Guards.RunningStatsThreshold"/> of their weight. The
/// same arithmetic that flags finished trials, applied to their plans, so a researcher can fix the spec first.
/// </summary>
public static class SweepWarnings
{
    /// <summary>How many distinct cells a message names before it says "…".</summary>
    private const int NamedCells = 3;

    /// <summary>The warnings for a spec's valid cells; none for an invalid spec or an unknown dataset (never throws).</summary>
    public static IReadOnlyList<SweepWarning> For(SweepSpec spec)
    {
        if (spec?.Grid is null || spec.Training is null || Datasets.Find(spec.Dataset ?? "") is not { } dataset
            || SweepValidator.Validate(spec, SweepLimits.Default).Count > 0)
        {
            return [];
        }

        var trainSize = spec.Training.TrainSubset ?? dataset.TrainSize;
        var plans = GridExpander.Expand(spec).Cells
            .Select(cell => (Cell: cell, Plan: TrainingPlan.Resolve(cell, spec.Training, trainSize)))
            .ToList();

        var warnings = new List<SweepWarning>(2);
        if (FewUpdates(plans) is { } few)
        {
            warnings.Add(few);
        }

        if (InitialStatistics(spec.Training, plans) is { } stats)
        {
            warnings.Add(stats);
        }

        return warnings;
    }

    private static SweepWarning? FewUpdates(List<(TrialCell Cell, TrainingPlan Plan)> plans)
    {
        var flagged = plans.Where(p => p.Plan.TotalSteps < Guards.MinUpdates).ToList();
        if (flagged.Count == 0)
        {
            return null;
        }

        var named = Name(flagged.OrderBy(p => p.Plan.TotalSteps), p => p.Cell, p => $"{p.Plan.TotalSteps.ToString(CultureInfo.InvariantCulture)} updates");
        var message = $"{Count(flagged.Count)} {(flagged.Count == 1 ? "makes" : "make")} fewer than {Guards.MinUpdates} updates ({named}); "
            + "their models barely train, so a gap there is an optimization gap. Train longer (epochs, regime auto) or on more data.";
        return new SweepWarning(GuardFlags.FewUpdates, message, flagged.Count);
    }

    private static SweepWarning? InitialStatistics(TrainingSpec training, List<(TrialCell Cell, TrainingPlan Plan)> plans)
    {
        var flagged = plans
            .Select(p => (p.Cell, p.Plan, Weight: Guards.InitialStatsWeight(
                p.Cell.RunningStats, p.Cell.GbnImplementation, training.EvalStatistics, p.Cell.BatchSize, p.Cell.GhostBatchSize, training.BnMomentum, p.Plan.TotalSteps)))
            .Where(p => p.Weight > Guards.RunningStatsThreshold)
            .OrderByDescending(p => p.Weight)
            .ToList();
        if (flagged.Count == 0)
        {
            return null;
        }

        var named = Name(flagged, p => p.Cell, p => Percent(p.Weight, "0.0"));
        var message = $"{Count(flagged.Count)} end with the initial running statistics holding up to {Percent(flagged[0].Weight, "0")} of their weight ({named}); "
            + "their evaluation measures unconverged statistics. Use evalStatistics: recompute, or more updates.";
        return new SweepWarning(GuardFlags.RunningStats, message, flagged.Count);
    }

    /// <summary>"B = 4096: 12 updates; B = 2048, G = 128: 24 updates; …", one entry per distinct description, worst first.</summary>
    private static string Name<T>(IEnumerable<T> worstFirst, Func<T, TrialCell> cell, Func<T, string> value)
    {
        var entries = worstFirst
            .GroupBy(p => Describe(cell(p)))
            .Select(g => $"{g.Key}: {value(g.First())}")
            .ToList();
        var shown = string.Join("; ", entries.Take(NamedCells));
        return entries.Count > NamedCells ? shown + "; …" : shown;
    }

    /// <summary>B and G (one number when equal) and the regime factor when it is not 1; seeds and BN variants share it.</summary>
    private static string Describe(TrialCell cell)
    {
        var sizes = cell.GhostBatchSize >= cell.BatchSize
            ? $"B = G = {cell.BatchSize}"
            : $"B = {cell.BatchSize}, G = {cell.GhostBatchSize}";
        return Math.Abs(cell.RegimeMultiplier - 1) < 1e-9
            ? sizes
            : sizes + ", r = " + cell.RegimeMultiplier.ToString("0.##", CultureInfo.InvariantCulture);
    }

    private static string Count(int cells) => cells == 1 ? "1 cell" : $"{cells} cells";

    private static string Percent(double fraction, string format) =>
        (fraction * 100).ToString(format, CultureInfo.InvariantCulture) + " %";
}

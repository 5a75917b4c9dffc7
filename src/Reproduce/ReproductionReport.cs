using System.Globalization;
using System.Text;
using Sweep.Client;
using Sweep.Domain.Presets;
using Sweep.Domain.Results;

namespace Sweep.Reproduce;

/// <summary>
/// Regenerates the measured parts of reproduction.md: every block between <c>&lt;!-- generated:NAME --&gt;</c> and
/// <c>&lt;!-- /generated:NAME --&gt;</c> is rewritten; the prose around them is left as it is.
/// </summary>
public sealed class ReproductionReport(SweepClient client, StudySize size, IReadOnlyDictionary<string, SweepInfo> sweeps, string output, ReproduceOptions options, TextWriter log)
{
    public const string DocName = "reproduction.md";
    public const string FigureFolder = "reproduction";

    public async Task WriteAsync(CancellationToken ct)
    {
        var results = new StudyResults(size, sweeps);
        var blocks = new Dictionary<string, string>
        {
            ["setup"] = Setup(results),
            ["table"] = PaperTable(results),
            ["cost"] = Cost(results),
            ["running-stats"] = RunningStats(results),
            ["heatmap"] = Heatmaps(results),
            ["slopes"] = await SlopesAsync(results, ct),
        };

        Directory.CreateDirectory(Path.Combine(output, FigureFolder));
        var figures = await new FigureExporter(client, options, log).ExportAsync(results, Path.Combine(output, FigureFolder), ct);
        blocks["figures"] = string.Join("\n\n", figures.Select(f => $"![{f.Caption}]({FigureFolder}/{f.File})\n\n*{f.Caption}*"));

        var path = Path.Combine(output, DocName);
        var doc = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : Skeleton(blocks.Keys);
        foreach (var (name, content) in blocks)
        {
            doc = GeneratedBlocks.Replace(doc, name, content);
        }

        await File.WriteAllTextAsync(path, doc, ct);
        log.WriteLine($"Wrote {path} and {figures.Count} figures.");
    }

    private static string Skeleton(IEnumerable<string> names) =>
        "# Reproduction (generated)\n\n" + string.Join("\n\n", names.Select(n => $"## {n}\n\n{GeneratedBlocks.Empty(n)}")) + "\n";

    private static string Setup(StudyResults results)
    {
        var s = results.Size;
        var all = results.All;
        var started = all.SelectMany(x => x.Trials).Where(t => t.StartedAt is not null).Select(t => t.StartedAt!.Value).DefaultIfEmpty().Min();
        var finished = all.SelectMany(x => x.Trials).Where(t => t.FinishedAt is not null).Select(t => t.FinishedAt!.Value).DefaultIfEmpty().Max();
        var compute = all.SelectMany(StudyResults.Completed).Sum(StudyResults.WallSeconds);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Study size: **{s.Label}**. F1 on Fashion-MNIST, training subset of {Format.N(s.TrainSubset)} samples for the table and the running statistics and {Format.N(s.HeatmapTrainSubset)} for the heatmaps (the same subset for every trial of a sweep), the full 10,000-image test set for validation.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Base regime: {s.Epochs} epochs, η_ref = 0.1 at B_ref = {StudyPlan.ReferenceBatch}, momentum 0.9, weight decay 1e-4, clipping at 5, LR × 0.1 at epochs {(s.LrDropEpochs.Count > 0 ? string.Join(", ", s.LrDropEpochs) : "none")}; regime adaptation multiplies the epochs and drop epochs by ceil(B / {StudyPlan.ReferenceBatch}).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- LB = {s.LargeBatch}, ghost batch {StudyPlan.ReferenceBatch}. Seeds: {string.Join(", ", s.TableSeeds)} for the table, {string.Join(", ", s.RunningStatsSeeds)} for the running statistics, 1 for the heatmaps.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Trials completed: {all.Sum(x => StudyResults.Completed(x).Count())} (table {StudyResults.Completed(results.Table).Count()}, running statistics {StudyResults.Completed(results.RunningStats).Count()}, heatmaps {StudyResults.Completed(results.HeatmapRegime1).Count() + StudyResults.Completed(results.HeatmapAuto).Count()}); trial compute {Format.F(compute / 60, 1)} min; first start to last finish {Format.F((finished - started).TotalMinutes, 1)} min, one worker on 2 CPU cores.");
        var unfinished = results.Unfinished().ToList();
        // Failures are listed one by one; trials that simply have not run yet are counted per sweep.
        var failed = unfinished.Where(u => u.Trial.State == "failed").ToList();
        var pending = unfinished.Where(u => u.Trial.State != "failed").GroupBy(u => (u.Sweep, u.Trial.State)).ToList();
        text.Append(unfinished.Count == 0
            ? "- Every trial of the study completed."
            : "- Not completed: " + string.Join("; ", failed.Select(u => $"{u.Sweep} B={u.Trial.BatchSize} G={u.Trial.GhostBatchSize} r={u.Trial.RegimeMultiplier} seed {u.Trial.Seed}: failed{(u.Trial.FailureKind is { } k ? $" ({k})" : "")}")
                .Concat(pending.Select(g => $"{g.Key.Sweep}: {g.Count()} {g.Key.State}"))) + ".");
        return text.ToString();
    }

    private static string PaperTable(StudyResults results)
    {
        var row = PaperPresets.F1;
        var columns = PaperConfiguration.Columns;
        var table = new MarkdownTable(["", .. columns.Select(c => c.Label())]);
        table.Add(["Paper: F1 on MNIST (validation accuracy %)", .. columns.Select(c => Format.F(row[c]))]);
        var ours = columns.Select(c => Stats.Of(results.Column(c).Select(t => StudyResults.Metric(t, MetricNames.ValAccuracy)))).ToList();
        table.Add([$"Sweep: F1 on Fashion-MNIST, mean ± std over seeds", .. ours.Select(s => s?.Percent() ?? "—")]);
        table.Add(["Paper: gap to SB (points)", .. columns.Select(c => Format.F(row[c] - row.SmallBatch))]);
        table.Add(["Sweep: gap to SB (points)", .. ours.Select(s => s is null || ours[0] is null ? "—" : Format.F(100 * (s.Mean - ours[0]!.Mean)))]);
        table.Add(["Sweep: seeds", .. ours.Select(s => s?.Count.ToString(CultureInfo.InvariantCulture) ?? "0")]);
        return table.ToString();
    }

    private static string Cost(StudyResults results)
    {
        var table = new MarkdownTable("configuration", "updates", "samples processed", "trainer time s (mean)", "wall-clock s per trial (mean)", "val accuracy %");
        var rows = new List<(PaperColumn Column, Stats? Accuracy, double Wall)>();
        foreach (var column in PaperConfiguration.Columns)
        {
            var trials = results.Column(column);
            var accuracy = Stats.Of(trials.Select(t => StudyResults.Metric(t, MetricNames.ValAccuracy)));
            var wall = trials.Select(StudyResults.WallSeconds).DefaultIfEmpty(double.NaN).Average();
            rows.Add((column, accuracy, wall));
            table.Add(
                column.Label(),
                Format.N(trials.Select(t => StudyResults.Metric(t, "steps")).DefaultIfEmpty(double.NaN).Average()),
                Format.N(trials.Select(StudyResults.Samples).DefaultIfEmpty(double.NaN).Average()),
                Format.F(trials.Select(t => StudyResults.Metric(t, MetricNames.WallSeconds)).DefaultIfEmpty(double.NaN).Average(), 1),
                Format.F(wall, 1),
                accuracy?.Percent() ?? "—");
        }

        var text = new StringBuilder(table.ToString()).AppendLine().AppendLine();
        var gbn = rows.Single(r => r.Column == PaperColumn.GhostBatchNorm);
        var ra = rows.Single(r => r.Column == PaperColumn.RegimeAdaptation);
        var sb = rows.Single(r => r.Column == PaperColumn.SmallBatch);
        if (gbn.Accuracy is { } g && ra.Accuracy is { } r && sb.Accuracy is { } s)
        {
            var points = 100 * (r.Mean - g.Mean);
            var seconds = ra.Wall - gbn.Wall;
            text.AppendLine(CultureInfo.InvariantCulture, $"Regime adaptation (+GBN → +RA) bought {Format.F(points)} points of validation accuracy for {Format.F(seconds, 0)} s more per trial: {(points > 0 ? Format.F(seconds / points, 0) + " s per point" : "no gain")} on this machine. "
                + $"+RA took {Format.F(ra.Wall / sb.Wall, 2)}× the wall-clock of SB (same number of updates, {results.Size.LargeBatch / StudyPlan.ReferenceBatch}× the samples) and ended {Format.F(100 * (r.Mean - s.Mean))} points from it.");
        }

        return text.ToString().TrimEnd();
    }

    private static string RunningStats(StudyResults results)
    {
        var byPolicy = StudyResults.Completed(results.RunningStats)
            .GroupBy(t => t.RunningStats)
            .Select(g => (Policy: g.Key, Stats: Stats.Of(g.Select(t => StudyResults.Metric(t, MetricNames.ValAccuracy)))!, Seeds: g.Select(t => t.Seed).Order().ToList()))
            .OrderBy(p => p.Policy, StringComparer.Ordinal)
            .ToList();
        var table = new MarkdownTable("running statistics", "val accuracy % (mean ± std)", "seeds", "per seed %");
        foreach (var (policy, stats, _) in byPolicy)
        {
            var perSeed = StudyResults.Completed(results.RunningStats).Where(t => t.RunningStats == policy).OrderBy(t => t.Seed)
                .Select(t => $"{t.Seed}: {Format.F(100 * StudyResults.Metric(t, MetricNames.ValAccuracy))}");
            table.Add(policy, stats.Percent(), stats.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", perSeed));
        }

        var text = new StringBuilder(table.ToString()).AppendLine().AppendLine();
        for (var i = 0; i < byPolicy.Count; i++)
        {
            for (var j = i + 1; j < byPolicy.Count; j++)
            {
                var (a, b) = (byPolicy[i], byPolicy[j]);
                var difference = 100 * (a.Stats.Mean - b.Stats.Mean);
                var se = 100 * Stats.DifferenceStandardError(a.Stats, b.Stats);
                var verdict = !double.IsFinite(se) ? "too few seeds to judge"
                    : Math.Abs(difference) > 2 * se ? "beyond seed noise (|Δ| > 2 standard errors)"
                    : "within seed noise (|Δ| ≤ 2 standard errors)";
                text.AppendLine(CultureInfo.InvariantCulture, $"- {a.Policy} − {b.Policy}: {Format.F(difference)} points (standard error {Format.F(se)}): {verdict}.");
            }
        }

        return text.ToString().TrimEnd();
    }

    private static string Heatmaps(StudyResults results)
    {
        var text = new StringBuilder();
        foreach (var (label, auto, sweep) in new[] { ("regime 1", false, results.HeatmapRegime1), ("regime auto = ceil(B / 128)", true, results.HeatmapAuto) })
        {
            var trials = StudyResults.Completed(sweep).Where(t => StudyPlan.Heatmap(results.Size, auto).InStudy(StudyRunner.Values(t))).ToList();
            var batches = results.Size.HeatmapBatchSizes;
            var ghosts = results.Size.HeatmapGhostSizes.Select(g => g.ToString(CultureInfo.InvariantCulture)).Append("B (plain BN)").ToList();
            var table = new MarkdownTable(["B \\ G", .. ghosts]);
            foreach (var b in batches)
            {
                var cells = results.Size.HeatmapGhostSizes.Select(g => (int?)g).Append(null).Select(g =>
                {
                    var ghost = g ?? b;
                    var trial = trials.FirstOrDefault(t => t.BatchSize == b && t.GhostBatchSize == ghost);
                    return g is not null && g > b ? "" : trial is null ? "—" : Format.F(100 * StudyResults.Metric(trial, MetricNames.ValAccuracy));
                });
                table.Add([b.ToString(CultureInfo.InvariantCulture), .. cells]);
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"Validation accuracy (%), {label}:").AppendLine().AppendLine(table.ToString()).AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> SlopesAsync(StudyResults results, CancellationToken ct)
    {
        // The paper's Figure 2: same epochs for every batch size (regime 1), plain BN, so only B differs.
        var trials = StudyResults.Completed(results.HeatmapRegime1).Where(t => t.GhostBatchSize == t.BatchSize).OrderBy(t => t.BatchSize).ToList();
        var distance = await client.GetDistanceAsync(results.HeatmapRegime1.Id, trials.Select(t => t.Id), points: 1000, ct);
        var table = new MarkdownTable("B", "updates", "‖w − w0‖ at the end", "slope b, whole run", "R²", "slope b, before the first LR drop", "R²");
        var firstDrop = results.Size.LrDropEpochs.Count > 0 ? results.Size.LrDropEpochs[0] : results.Size.Epochs;
        foreach (var trial in trials)
        {
            var series = distance.Trials.FirstOrDefault(d => d.Trial.Id == trial.Id);
            if (series is null)
            {
                continue;
            }

            var highLrSteps = firstDrop * (results.Size.HeatmapTrainSubset / trial.BatchSize);
            var early = LogFit.Fit(series.Points.Where(p => p.Step <= highLrSteps).Select(p => ((double)p.Step, p.Value)));
            table.Add(
                trial.BatchSize.ToString(CultureInfo.InvariantCulture),
                Format.N(StudyResults.Metric(trial, "steps")),
                Format.F(StudyResults.Metric(trial, MetricNames.WeightDistance)),
                Format.F(series.Fit?.Slope ?? double.NaN, 3),
                Format.F(series.Fit?.RSquared ?? double.NaN, 3),
                Format.F(early?.Slope ?? double.NaN, 3),
                Format.F(early?.RSquared ?? double.NaN, 3));
        }

        return $"Least-squares fits of ‖w − w0‖ = a + b·ln(step) per trial (the regime-1 heatmap sweep, G = B), from the distance the trainer records every 10 steps:\n\n{table}";
    }
}

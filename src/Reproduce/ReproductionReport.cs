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
        var runs = await CostBlock.LoadAsync(client, results, ct);
        var blocks = new Dictionary<string, string>
        {
            ["setup"] = Setup(results),
            ["table"] = TableBlock.Write(results),
            ["cost"] = CostBlock.Write(results, runs),
            ["running-stats"] = RunningStatsBlock.Write(results),
            ["heatmap"] = HeatmapBlock.Write(results),
            ["slopes"] = await SlopesBlock.WriteAsync(client, results, ct),
        };

        var folder = Path.Combine(output, FigureFolder);
        Directory.CreateDirectory(folder);
        var figures = new List<Figure>(await new FigureExporter(client, options, log).ExportAsync(results, folder, ct))
        {
            AccuracyTimeFigure.Write(runs, CostBlock.Target(runs), folder),
        };
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
        text.AppendLine(CultureInfo.InvariantCulture, $"- Study size: **{s.Label}**. F1 on Fashion-MNIST, {Format.N(StudySize.Samples(s.TrainSubset))} training images for the table and the running statistics, {Format.N(StudySize.Samples(s.HeatmapRegime1TrainSubset))} for the regime-1 heatmap and {Format.N(StudySize.Samples(s.HeatmapAutoTrainSubset))} for the regime-auto heatmap (the same images for every trial of a sweep), the full 10,000-image test set for validation.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Base regime: {s.Epochs} epochs, η_ref = 0.1 at B_ref = {StudyPlan.ReferenceBatch}, momentum 0.9, weight decay 1e-4, clipping at 5, LR × 0.1 at epochs {(s.LrDropEpochs.Count > 0 ? string.Join(", ", s.LrDropEpochs) : "none")}; regime adaptation multiplies the epochs and drop epochs by ceil(B / {StudyPlan.ReferenceBatch}).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- LB = {s.LargeBatch}, ghost batch {StudyPlan.ReferenceBatch}. Seeds: {string.Join(", ", s.TableSeeds)} for the table, {string.Join(", ", s.RunningStatsSeeds)} for the running statistics, {string.Join(", ", s.HeatmapSeeds)} for the heatmaps (B ∈ {{{string.Join(", ", s.HeatmapBatchSizes)}}}, G ∈ {{{string.Join(", ", s.HeatmapGhostSizes)}, B}}).");
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
}

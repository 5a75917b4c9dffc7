using System.Globalization;
using System.Text;
using Sweep.Client;
using Sweep.Domain.Presets;
using Sweep.Domain.Results;
using Sweep.Domain.Statistics;

namespace Sweep.Reproduce;

/// <summary>
/// ‖w − w0‖ against log t: per configuration, the slope b of a + b·ln(step) fitted before the first LR drop (the
/// window the paper's argument covers), with its 95 % interval over seeds, and the log law against the power law
/// a + b·t^α by AIC, exactly as the sweep page fits them (the distance API's per-trial report).
/// </summary>
public static class SlopesBlock
{
    public static async Task<string> WriteAsync(SweepClient client, StudyResults results, CancellationToken ct)
    {
        var table = await GroupsAsync(client, results.Table, PaperConfiguration.Columns.Select(c => (c.Label(), results.Column(c))), ct);
        var plain = StudyResults.Completed(results.HeatmapRegime1).Where(t => t.GhostBatchSize == t.BatchSize).GroupBy(t => t.BatchSize).OrderBy(g => g.Key)
            .Select(g => ($"B = {g.Key.ToString(CultureInfo.InvariantCulture)}, plain BN, regime 1", (IReadOnlyList<TrialInfo>)g.ToList()));
        var batches = await GroupsAsync(client, results.HeatmapRegime1, plain, ct);

        var text = new StringBuilder();
        text.AppendLine("The paper's five configurations (the table's sweep):").AppendLine().AppendLine(Render(table)).AppendLine();
        text.AppendLine("Plain BN at every batch size of the regime-1 heatmap (the same epochs for every B, as in the paper's Figure 2; η by the sqrt rule):").AppendLine().AppendLine(Render(batches)).AppendLine();
        var reports = table.Concat(batches).SelectMany(g => g.Reports).Where(r => r.Refusal is null).ToList();
        var log = reports.Count(r => r.Preferred == "log");
        var power = reports.Count(r => r.Preferred == "power");
        text.Append(CultureInfo.InvariantCulture, $"Of {reports.Count} trials with a fit, the AIC prefers the log law in {log}, the power law in {power} and neither (within {Format.F(DistanceFits.AicMargin, 0)}) in {reports.Count - log - power}. ");
        text.Append(log > power ? "The log law fits better." : power > log ? "The power law fits better." : "Neither law fits better.");
        return text.ToString();
    }

    private sealed record Group(string Label, IReadOnlyList<TrialInfo> Trials, IReadOnlyList<DistanceFitReportInfo> Reports);

    private static async Task<List<Group>> GroupsAsync(SweepClient client, SweepInfo sweep, IEnumerable<(string Label, IReadOnlyList<TrialInfo> Trials)> groups, CancellationToken ct)
    {
        var list = groups.ToList();
        var distance = await client.GetDistanceAsync(sweep.Id, list.SelectMany(g => g.Trials).Select(t => t.Id), points: 1000, ct);
        var byTrial = distance.Trials.Where(d => d.Report is not null).ToDictionary(d => d.Trial.Id, d => d.Report!);
        return list.Select(g => new Group(g.Label, g.Trials, g.Trials.Where(t => byTrial.ContainsKey(t.Id)).Select(t => byTrial[t.Id]).ToList())).ToList();
    }

    private static string Render(IEnumerable<Group> groups)
    {
        var table = new MarkdownTable("configuration", "window (steps)", "decades", "slope b, mean ± 95 % CI", "R² of the log law", "power law α", "AIC prefers (log / power / neither)", "n");
        foreach (var g in groups)
        {
            var fitted = g.Reports.Where(r => r.Refusal is null).ToList();
            var refused = g.Reports.Count - fitted.Count;
            table.Add(
                g.Label,
                g.Reports.Count == 0 ? "—" : $"{Format.N(g.Reports.Min(r => r.FromStep))}–{Format.N(g.Reports.Max(r => r.ToStep))}",
                Format.F(g.Reports.Select(r => r.Decades).DefaultIfEmpty(double.NaN).Min(), 1),
                Format.Ci(SampleSummary.Of(fitted.Select(r => r.Slope ?? double.NaN)), scale: 1, digits: 3),
                Format.F(fitted.Select(r => r.Log?.RSquared ?? double.NaN).DefaultIfEmpty(double.NaN).Average(), 3),
                Format.F(fitted.Select(r => r.Power?.Exponent ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average(), 2),
                $"{fitted.Count(r => r.Preferred == "log")} / {fitted.Count(r => r.Preferred == "power")} / {fitted.Count(r => r.Preferred is not ("log" or "power"))}",
                refused == 0 ? fitted.Count.ToString(CultureInfo.InvariantCulture) : $"{fitted.Count} ({refused} refused: {g.Reports.First(r => r.Refusal is not null).Refusal})");
        }

        return table.ToString();
    }
}

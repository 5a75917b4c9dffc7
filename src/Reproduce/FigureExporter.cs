using Microsoft.Playwright;
using Sweep.Client;
using Sweep.Domain.Results;

namespace Sweep.Reproduce;

/// <summary>A figure written next to the report.</summary>
public sealed record Figure(string File, string Caption);

/// <summary>
/// Exports the report's figures from the product itself: each is the Plotly chart of a sweep page, rendered by the
/// running platform in Debian's headless chromium and saved with Plotly's own image export (what the chart's
/// "download as PNG" button does). Pages take no bearer token (only the API does), so each sweep is opened through a
/// short-lived share link that the study's token makes and revokes: the read-only page a reader would see.
/// </summary>
public sealed class FigureExporter(SweepClient client, ReproduceOptions options, TextWriter log)
{
    private const string HeatmapPlot = "section[aria-labelledby=heatmap-title] .js-plotly-plot";
    private const string DistancePlot = ".distance-chart .js-plotly-plot";

    public async Task<IReadOnlyList<Figure>> ExportAsync(StudyResults results, string folder, CancellationToken ct)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.Chromium ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(60_000);

        var figures = new List<Figure>();
        async Task Export(Guid sweep, string plot, string? metric, string file, string caption)
        {
            ct.ThrowIfCancellationRequested();
            var link = await client.CreateShareLinkAsync(sweep, DateTimeOffset.UtcNow.AddHours(1), ct);
            try
            {
                // The tool's own address, not the link's public URL: the study may run beside the server, not through its proxy.
                await OpenAsync(page, new Uri(options.Url, "s/" + Uri.EscapeDataString(link.Token)).ToString());
                if (metric is not null)
                {
                    await page.SelectOptionAsync("#metric", metric);
                }

                await SaveAsync(page, plot, Path.Combine(folder, file));
            }
            finally
            {
                await client.RevokeShareLinkAsync(sweep, link.Details.Id, CancellationToken.None);
            }

            figures.Add(new Figure(file, caption));
            log.WriteLine($"Figure {file}");
        }

        await Export(results.HeatmapRegime1.Id, HeatmapPlot, MetricNames.ValAccuracy, "heatmap-regime-1.png",
            "Validation accuracy over batch size × ghost batch size at regime 1 (the same epochs for every B).");
        await Export(results.HeatmapRegime1.Id, HeatmapPlot, MetricNames.GapToBaseline, "heatmap-regime-1-gap.png",
            "The paper's generalization gap at regime 1: the drop in validation accuracy from B = G = 128 (a fraction: 0.4 is 40 points; diverging scale centred at 0).");
        await Export(results.HeatmapAuto.Id, HeatmapPlot, MetricNames.ValAccuracy, "heatmap-regime-auto.png",
            "Validation accuracy at regime auto: each B trains ceil(B / 128) times longer, so every cell makes the same number of updates.");
        await Export(results.Table.Id, DistancePlot, null, "distance-table.png",
            "‖w − w0‖ against steps on a log axis for SB, LB, +LR, +GBN and +RA (every seed), with each trial's fitted slope.");
        await Export(results.HeatmapRegime1.Id, DistancePlot, null, "distance-batch-sizes.png",
            $"‖w − w0‖ against steps for every cell of the regime-1 heatmap sweep: the paper's Figure 2, batch sizes {results.Size.HeatmapBatchSizes.Min()}–{results.Size.HeatmapBatchSizes.Max()}.");
        return figures;
    }

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync(HeatmapPlot);
    }

    /// <summary>Waits for the chart to settle after a change, then exports it through Plotly.toImage.</summary>
    private static async Task SaveAsync(IPage page, string selector, string path)
    {
        var plot = page.Locator(selector).First;
        await plot.WaitForAsync();
        await page.WaitForTimeoutAsync(2500);
        var dataUrl = await plot.EvaluateAsync<string>("el => Plotly.toImage(el, { format: 'png', width: 1000, height: 600, scale: 1 })");
        var comma = dataUrl.IndexOf(',', StringComparison.Ordinal);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(dataUrl[(comma + 1)..]));
    }
}

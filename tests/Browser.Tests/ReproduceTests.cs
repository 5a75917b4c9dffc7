using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sweep.Testing;

namespace Sweep.Browser.Tests;

/// <summary>
/// scripts/reproduce --smoke against the running platform: it submits the study through the REST API, waits for the
/// worker, and writes the report, the figures (exported from the product's pages) and the example archives.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReproduceTests(BrowserFixture fixture) : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("sweep-reproduce-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task The_smoke_study_runs_through_the_API_and_regenerates_the_report_figures_and_examples()
    {
        var info = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "scripts", "reproduce")) { WorkingDirectory = RepositoryPaths.Root };
        foreach (var arg in new[] { "--smoke", "--fresh", "--url", fixture.BaseUrl, "--token", fixture.ApiToken, "--out", _out, "--poll", "2" })
        {
            info.ArgumentList.Add(arg);
        }

        // The test command built the whole solution already; the script would otherwise build Release itself.
        info.Environment["SWEEP_REPRODUCE_NO_BUILD"] = "1";
        info.Environment["SWEEP_CHROMIUM"] = Environment.GetEnvironmentVariable("SWEEP_TEST_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        var (exitCode, output) = await ChildRun.RunAsync(info, TimeSpan.FromMinutes(9), "scripts/reproduce --smoke", WorkerTail);

        Assert.True(exitCode == 0, output + WorkerTail());

        var report = await File.ReadAllTextAsync(Path.Combine(_out, "reproduction.md"));
        var table = Block(report, "table");
        var ours = table.Split('\n').Single(l => l.StartsWith("| Sweep: validation accuracy %", StringComparison.Ordinal));
        Assert.Equal(5, Percent().Count(ours));
        Assert.Contains("| Sweep: clean train accuracy %", table, StringComparison.Ordinal);
        Assert.Contains("| algorithm1 |", Block(report, "running-stats"), StringComparison.Ordinal);
        Assert.Contains("samples/s", Block(report, "cost"), StringComparison.Ordinal);
        Assert.Contains("98.27", table, StringComparison.Ordinal); // the paper's SB for F1 on MNIST, beside ours
        Assert.Contains("| sequential |", Block(report, "running-stats"), StringComparison.Ordinal);
        Assert.Contains("slope b", Block(report, "slopes"), StringComparison.Ordinal);

        var figures = Directory.GetFiles(Path.Combine(_out, "reproduction"), "*.png");
        Assert.Equal(5, figures.Length);
        var svg = await File.ReadAllTextAsync(Path.Combine(_out, "reproduction", "accuracy-time.svg"));
        Assert.Equal(5, Polyline().Count(svg)); // one accuracy line per configuration
        Assert.All(figures, f =>
        {
            var bytes = File.ReadAllBytes(f);
            Assert.True(bytes.Length > 5_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{f}: {bytes.Length} bytes");
        });
        Assert.Equal(4, Directory.GetFiles(Path.Combine(_out, "examples"), "*.sweep.json.gz").Length);
    }

    [Fact]
    public async Task The_published_example_study_is_on_the_sweeps_list_marked_as_an_example()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");

        var example = page.Locator("tr", new PageLocatorOptions { HasText = "Reproduction (full): F1 on Fashion-MNIST" });
        await Assertions.Expect(example.Locator(".badge.example")).ToHaveTextAsync("Example");
        await example.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#reproduction")).ToContainTextAsync("+RA");
    }

    /// <summary>The worker's last log lines: why trials did or did not run is in there, not in the script's output.</summary>
    private string WorkerTail() => $"\n--- worker {fixture.Worker.Name} (exited: {fixture.Worker.HasExited}) ---\n{fixture.Worker.Output}";

    /// <summary>The content of a generated block of the report.</summary>
    private static string Block(string report, string name)
    {
        var start = report.IndexOf($"<!-- generated:{name} -->", StringComparison.Ordinal);
        var end = report.IndexOf($"<!-- /generated:{name} -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"block {name} missing");
        return report[start..end];
    }

    [GeneratedRegex(@"\d+\.\d\d")]
    private static partial Regex Percent();

    [GeneratedRegex("<polyline ")]
    private static partial Regex Polyline();
}

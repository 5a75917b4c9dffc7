using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sweep.Browser.Tests;

/// <summary>
/// The heatmap read without its colour bar: values with unit and n on the cells, a glyph per missing state with a key,
/// the same matrix as a table, and the view kept in the URL so that a bookmark restores it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HeatmapViewTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Training = TimeSpan.FromMinutes(3);

    /// <summary>
    /// B ∈ {64, 128} × G ∈ {32, 128}, invalid cells skipped: (64, 128) has no trial. Once the three trials completed,
    /// (128, 32) is marked failed and (128, 128) cancelled, without results, so that (64, 32) alone has a value.
    /// </summary>
    private async Task<Guid> SweepWithMissingCellsAsync(string name)
    {
        using var http = fixture.ApiClient();
        var body = $$"""
            {"name":"{{name}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64,128],"ghostBatchSize":[32,128],"regimeMultiplier":[1]},
             "training":{"epochs":1,"lrDropEpochs":[],"seeds":[1],"trainSubset":512},"skipInvalidCells":true}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deadline = DateTime.UtcNow + Training;
        while (true)
        {
            var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
            var states = sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
            Assert.Equal(3, states.Count);
            if (states.All(s => s == "completed"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the sweep's trials did not complete: " + string.Join(", ", states));
            await Task.Delay(500);
        }

        await fixture.Database.ScalarAsync<int>(
            $"""
            WITH failed AS (UPDATE trials SET state = 'failed', failure_kind = 'diverged', error = 'Loss became NaN', final_val_accuracy = NULL
                             WHERE sweep_id = '{id}' AND batch_size = 128 AND ghost_batch_size = 32 RETURNING 1),
                 cancelled AS (UPDATE trials SET state = 'cancelled', final_val_accuracy = NULL
                             WHERE sweep_id = '{id}' AND batch_size = 128 AND ghost_batch_size = 128 RETURNING 1)
            SELECT (SELECT count(*) FROM failed)::int + (SELECT count(*) FROM cancelled)::int
            """);
        return id;
    }

    private static async Task<string> AnnotationTextAsync(IPage page) =>
        string.Join(" | ", await page.Locator("#heatmap .annotation-text").AllTextContentsAsync());

    [Fact]
    public async Task Cells_show_their_value_with_unit_and_n_missing_states_their_glyph_and_the_table_the_same_matrix()
    {
        var id = await SweepWithMissingCellsAsync("browser-heatmap-cells");
        var page = await fixture.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        await Assertions.Expect(page.Locator("#heatmap-container")).ToHaveAttributeAsync("data-missing", "failed:1 cancelled:1 invalid:1");
        await Assertions.Expect(page.Locator("#heatmap .annotation-text")).ToHaveCountAsync(4);
        output.WriteLine($"heatmap with cell labels drawn {clock.ElapsedMilliseconds} ms after navigation");

        // The value in percent with its n (one seed); each missing state its own glyph and word.
        var text = await AnnotationTextAsync(page);
        Assert.Matches(new Regex(@"\d{1,3}\.\d %n=1"), text);
        Assert.Contains("✕ failed", text);
        Assert.Contains("⊘ cancelled", text);
        Assert.Contains("— invalid", text);

        // The key explains the glyphs shown, and only those.
        var key = page.Locator("#heatmap-key li");
        await Assertions.Expect(key).ToHaveCountAsync(3);
        await Assertions.Expect(key.Nth(0)).ToContainTextAsync("failed");
        await Assertions.Expect(key.Nth(2)).ToContainTextAsync("invalid");

        // The chart is one image to a screen reader, pointing at the table; the toolbar adds no tab stops.
        await Assertions.Expect(page.Locator("#heatmap-views [role=img]")).ToHaveAttributeAsync("aria-label", new Regex("table view"));
        await Assertions.Expect(page.Locator("#heatmap .modebar")).ToHaveCountAsync(0);

        // The toggle shows the same matrix as a table (once the circuit is live, which the click module marks).
        await Assertions.Expect(page.Locator("#heatmap")).ToHaveAttributeAsync("data-clickable", "true");
        await page.ClickAsync("#heatmap-as-table");
        var table = page.Locator("#heatmap-table table");
        await Assertions.Expect(table).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#heatmap")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#heatmap-as-table")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(["ghost batch size G \\ batch size B", "64", "128"], (await table.Locator("thead th[scope=col]").AllTextContentsAsync()).Select(t => t.Trim()));
        Assert.Equal(["32", "128"], (await table.Locator("tbody th[scope=row]").AllTextContentsAsync()).Select(t => t.Trim()));
        var cells = (await table.Locator("tbody td").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        Assert.Equal(4, cells.Count);
        Assert.Matches(new Regex(@"^\d{1,3}\.\d % n=1$"), cells[0]);
        Assert.Equal(["✕ failed", "— invalid", "⊘ cancelled"], cells.Skip(1));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]view=table"));
        await fixture.ScreenshotAsync(page, "sweep-page-heatmap-table");

        // And back: the chart is drawn again.
        await page.ClickAsync("#heatmap-as-table");
        await Assertions.Expect(page.Locator("#heatmap .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(table).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_url_with_the_heatmaps_settings_restores_the_view_and_a_change_is_written_back()
    {
        var id = await SweepWithMissingCellsAsync("browser-heatmap-url");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}?metric=valError&x=ghostBatchSize&y=batchSize&view=table");

        await Assertions.Expect(page.Locator("#metric")).ToHaveValueAsync("valError");
        await Assertions.Expect(page.Locator("#x-axis")).ToHaveValueAsync("GhostBatchSize");
        await Assertions.Expect(page.Locator("#y-axis")).ToHaveValueAsync("BatchSize");
        await Assertions.Expect(page.Locator("#at")).ToHaveValueAsync("final");
        // The prerendered table is drawn again once the circuit is live (which the click module marks), from its
        // own read: the assertions retry until that read has filled it.
        await Assertions.Expect(page.Locator("#heatmap")).ToHaveAttributeAsync("data-clickable", "true");
        var table = page.Locator("#heatmap-table table");
        await Assertions.Expect(table.Locator("caption")).ToHaveTextAsync("validation error (%)");
        await Assertions.Expect(table.Locator("thead th[scope=col]")).ToHaveTextAsync(["batch size B \\ ghost batch size G", "32", "128"]);

        // A change goes into the address (replaced, not a new history entry), so that it can be bookmarked.
        var entries = await page.EvaluateAsync<int>("() => history.length");
        await page.SelectOptionAsync("#metric", "trainAccuracy");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]metric=trainAccuracy"));
        await Assertions.Expect(table.Locator("caption")).ToHaveTextAsync("train accuracy (%)");
        Assert.Equal(entries, await page.EvaluateAsync<int>("() => history.length"));

        // The bookmarked address opens the same view.
        var bookmarked = page.Url;
        var again = await fixture.NewPageAsync();
        await again.GotoAsync(bookmarked);
        await Assertions.Expect(again.Locator("#metric")).ToHaveValueAsync("trainAccuracy");
        await Assertions.Expect(again.Locator("#x-axis")).ToHaveValueAsync("GhostBatchSize");
        await Assertions.Expect(again.Locator("#heatmap-table caption")).ToHaveTextAsync("train accuracy (%)");
    }
}

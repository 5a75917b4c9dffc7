using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sweep.Browser.Tests;

/// <summary>
/// Issue 18: the trial page shows the trainer's output as the worker stores it, appending while the trial runs, with
/// Follow keeping the newest line in view and Pause holding the text still.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrialLogPanelTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_trial_page_streams_the_trainers_output_while_it_runs()
    {
        var trial = await QueuedTrialAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/trials/{trial}");
        var log = page.Locator("#trial-log");

        // While it runs: epoch events appear, and more of them on later ticks, with no reload.
        await Assertions.Expect(page.Locator("#trial-state")).ToHaveTextAsync("running", new() { Timeout = 120_000 });
        await Assertions.Expect(log).ToContainTextAsync("\"type\":\"epoch\",\"epoch\":1,", new() { Timeout = 120_000 });
        var first = (await log.TextContentAsync())!.Length;
        await Assertions.Expect(log).ToContainTextAsync("\"type\":\"epoch\",\"epoch\":3,", new() { Timeout = 120_000 });
        var later = (await log.TextContentAsync())!.Length;
        output.WriteLine($"log text: {first} chars, then {later}");
        Assert.True(later > first);
        Assert.Equal("running", await page.Locator("#trial-state").TextContentAsync());

        // Follow: the newest line is in view (scrolled to the bottom of the box).
        await page.WaitForFunctionAsync("() => { const e = document.getElementById('trial-log'); return e.scrollHeight <= e.clientHeight || e.scrollTop + e.clientHeight >= e.scrollHeight - 4; }");

        // Pause holds the text; resuming brings it up to the end of the trial.
        await page.ClickAsync("#log-pause");
        await Assertions.Expect(page.Locator("#log-pause")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("#log-status")).ToHaveTextAsync("Paused.");
        var paused = (await log.TextContentAsync())!.Length;
        await page.WaitForTimeoutAsync(3_000);
        Assert.Equal(paused, (await log.TextContentAsync())!.Length);
        await page.ClickAsync("#log-pause");
        await Assertions.Expect(page.Locator("#trial-state")).ToHaveTextAsync("completed", new() { Timeout = 120_000 });
        await Assertions.Expect(log).ToContainTextAsync("\"type\":\"completed\"", new() { Timeout = 30_000 });
        await fixture.ScreenshotAsync(page, "trial-page-log");
    }

    /// <summary>A one-cell sweep of a few seconds' epochs, so that the page sees it run.</summary>
    private async Task<Guid> QueuedTrialAsync()
    {
        var name = $"browser-log-{Guid.NewGuid():N}"[..20];
        using var http = fixture.ApiClient();
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[50],"ghostBatchSize":[25],"regimeMultiplier":[1]},
             "training":{"epochs":8,"lrDropEpochs":[],"seeds":[1],"trainSubset":2000}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        return sweep.GetProperty("trials")[0].GetProperty("id").GetGuid();
    }
}

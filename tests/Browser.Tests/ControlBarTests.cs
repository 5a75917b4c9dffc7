using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Sweep.Browser.Tests;

/// <summary>The sweep page's control bar on a live sweep with a worker: pause, resume, cancel (asked first) and extend.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ControlBarTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private async Task<Guid> PostAsync(string name, string seeds, int epochs = 2)
    {
        using var http = fixture.ApiClient();
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64,128],"ghostBatchSize":[32],"regimeMultiplier":[1]},
             "training":{"epochs":{{{epochs}}},"lrDropEpochs":[],"seeds":{{{seeds}}},"trainSubset":1000}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> SweepAsync(Guid id)
    {
        using var http = fixture.ApiClient();
        return await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
    }

    private async Task<string> StateAsync(Guid id) => (await SweepAsync(id)).GetProperty("state").GetString()!;

    /// <summary>Opens the sweep page and waits for its live circuit: clicks on the prerendered buttons are lost.</summary>
    private async Task<IPage> OpenAsync(Guid id)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        await Assertions.Expect(page.Locator("#sweep-controls")).ToHaveAttributeAsync("data-interactive", "true");
        return page;
    }

    [Fact]
    public async Task A_live_sweep_is_paused_resumed_and_after_a_confirmation_cancelled_from_its_page()
    {
        var id = await PostAsync("browser-controls", "[1, 2, 3]");
        var page = await OpenAsync(id);
        var pause = page.Locator("#pause-sweep");
        var resume = page.Locator("#resume-sweep");
        var cancel = page.Locator("#cancel-sweep");

        // Active: resume does not apply, and says why to sighted and screen-reader users alike.
        await Assertions.Expect(resume).ToBeDisabledAsync();
        await Assertions.Expect(resume).ToHaveAttributeAsync("title", new Regex("^Nothing to resume: the sweep is (running|active)"));
        await Assertions.Expect(page.Locator("#resume-reason")).ToHaveTextAsync(new Regex("^Nothing to resume"));
        await Assertions.Expect(page.Locator("#retry-failed-sweep")).ToHaveAttributeAsync("title", "No failed trials.");

        // The progress panel counts the fixture's worker.
        await Assertions.Expect(page.Locator("#progress-workers")).ToHaveAttributeAsync("data-count", "1");
        await Assertions.Expect(page.Locator("#progress-ahead")).ToBeVisibleAsync();

        await pause.ClickAsync();
        await Assertions.Expect(page.Locator("#control-status")).ToHaveTextAsync(new Regex("^Paused"));
        Assert.Equal("paused", await StateAsync(id));
        await Assertions.Expect(pause).ToBeDisabledAsync();
        await Assertions.Expect(pause).ToHaveAttributeAsync("title", "Already paused: no new trial starts.");
        await Assertions.Expect(resume).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#progress-eta")).ToContainTextAsync("paused");
        await fixture.ScreenshotAsync(page, "sweep-page-paused");

        await resume.ClickAsync();
        await Assertions.Expect(page.Locator("#control-status")).ToHaveTextAsync(new Regex("^Resumed"));
        Assert.Equal("active", await StateAsync(id));
        await Assertions.Expect(pause).ToBeEnabledAsync();

        // Cancel asks first; keeping the sweep changes nothing.
        await cancel.ClickAsync();
        await Assertions.Expect(page.Locator("#cancel-question")).ToContainTextAsync("Cancel this sweep?");
        await fixture.ScreenshotAsync(page, "sweep-page-cancel-confirm");
        await page.Locator("#cancel-keep").ClickAsync();
        await Assertions.Expect(page.Locator("#cancel-question")).ToHaveCountAsync(0);
        Assert.Equal("active", await StateAsync(id));

        await cancel.ClickAsync();
        await page.Locator("#cancel-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#control-status")).ToHaveTextAsync(new Regex("^Cancelled"));
        Assert.Equal("cancelled", await StateAsync(id));
        await Assertions.Expect(cancel).ToBeDisabledAsync();
        await Assertions.Expect(cancel).ToHaveAttributeAsync("title", "Already cancelled.");
        await Assertions.Expect(resume).ToHaveAttributeAsync("title", new Regex("^A cancelled sweep cannot be resumed"));

        // No trial is left queued or running, in the page and in the API (a running trainer stops within seconds).
        await Assertions.Expect(page.Locator("#trials .badge.queued, #trials .badge.running")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        var states = (await SweepAsync(id)).GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
        Assert.All(states, s => Assert.Contains(s, new[] { "cancelled", "completed" }));
        Assert.Contains("cancelled", states);
    }

    [Fact]
    public async Task Extend_shows_how_many_cells_it_adds_before_adding_them()
    {
        var id = await PostAsync("browser-extend", "[1]");
        using (var http = fixture.ApiClient())
        {
            // Paused, so that the worker leaves its trials alone while the form is used.
            (await http.PostAsync($"/api/v1/sweeps/{id}/pause", null)).EnsureSuccessStatusCode();
        }

        var page = await OpenAsync(id);
        await page.Locator("#extend-sweep").ClickAsync();
        await page.Locator("#extend-seeds").FillAsync("2");
        await Assertions.Expect(page.Locator("#extend-count")).ToHaveTextAsync("Adds 2 new cells, one trial each.");
        await page.Locator("#extend-batchSize").FillAsync("256");
        await Assertions.Expect(page.Locator("#extend-count")).ToHaveTextAsync("Adds 4 new cells, one trial each.");

        // A value that is not a number is marked at its field, and nothing can be added.
        await page.Locator("#extend-ghostBatchSize").FillAsync("x");
        await Assertions.Expect(page.Locator("#error-extend-grid-ghostBatchSize")).ToContainTextAsync("not a whole number");
        await Assertions.Expect(page.Locator("#extend-submit")).ToBeDisabledAsync();
        await page.Locator("#extend-ghostBatchSize").FillAsync("");
        await Assertions.Expect(page.Locator("#extend-submit")).ToHaveTextAsync("Add 4 cells");
        await fixture.ScreenshotAsync(page, "sweep-page-extend");

        await page.Locator("#extend-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#control-status")).ToHaveTextAsync("Extended: 4 new trials queued.");
        Assert.Equal(6, (await SweepAsync(id)).GetProperty("trials").GetArrayLength());
        await Assertions.Expect(page.Locator("#trials tr.trial")).ToHaveCountAsync(6);

        using (var http = fixture.ApiClient())
        {
            (await http.PostAsync($"/api/v1/sweeps/{id}/cancel", null)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task After_a_run_the_page_says_how_far_the_builders_estimate_was_off()
    {
        // The first sweep gives the speed to estimate with; the second is estimated from it and then run.
        var first = await PostAsync("browser-estimate-first", "[1]", epochs: 1);
        var page = await OpenAsync(first);
        await Assertions.Expect(page.Locator("#trials .badge.completed")).ToHaveCountAsync(2, new() { Timeout = 180_000 });

        // The builder, filled like the second sweep, estimates it with start-up and evaluation.
        await page.GotoAsync(fixture.BaseUrl + "/sweeps/new");
        await Assertions.Expect(page.Locator("form.builder")).ToHaveAttributeAsync("data-interactive", "true");
        foreach (var (path, value) in new[] { ("grid-batchSize", "64, 128"), ("grid-ghostBatchSize", "32"), ("grid-regimeMultiplier", "1"), ("training-seeds", "1"), ("training-epochs", "1"), ("training-lrDropEpochs", ""), ("training-trainSubset", "1000") })
        {
            await page.Locator("#field-" + path).FillAsync(value);
            await page.Locator("#field-" + path).PressAsync("Tab");
        }

        await Assertions.Expect(page.Locator("#estimate")).ToContainTextAsync("of start-up per trial");
        output.WriteLine("Builder: " + await page.Locator("#estimate").TextContentAsync());

        var second = await PostAsync("browser-estimate-second", "[1]", epochs: 1);
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{second}");
        await Assertions.Expect(page.Locator("#trials .badge.completed")).ToHaveCountAsync(2, new() { Timeout = 180_000 });
        var estimate = page.Locator("#progress-estimate");
        await Assertions.Expect(estimate).ToContainTextAsync(new Regex(@"^Estimated \d+ s on one worker; it took \d+ s from the first start to the last end on 1 worker: "));
        output.WriteLine("Sweep page: " + await estimate.TextContentAsync());
        await fixture.ScreenshotAsync(page, "sweep-page-estimate");
    }
}

using Microsoft.Playwright;

namespace Sweep.Browser.Tests;

/// <summary>A new user's path: build a sweep in the builder, watch it run, open the heatmap and a trial.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BuilderTests(BrowserFixture fixture)
{
    /// <summary>Opens the builder and waits for its live circuit: keys typed into the prerendered form are lost.</summary>
    private async Task<IPage> OpenBuilderAsync()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/sweeps/new");
        await Assertions.Expect(page.Locator("form.builder")).ToHaveAttributeAsync("data-interactive", "true");
        return page;
    }

    private static async Task FillAsync(IPage page, string path, string value)
    {
        var input = page.Locator("#field-" + path.Replace('.', '-'));
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    [Fact]
    public async Task A_sweep_built_in_the_builder_runs_live_and_its_trial_page_shows_the_configuration()
    {
        var page = await OpenBuilderAsync();
        await FillAsync(page, "name", "browser-builder");
        await FillAsync(page, "grid.batchSize", "64, 128");
        await FillAsync(page, "grid.ghostBatchSize", "32");
        await FillAsync(page, "grid.regimeMultiplier", "1");
        await FillAsync(page, "training.seeds", "1");
        await FillAsync(page, "training.epochs", "1");
        await FillAsync(page, "training.lrDropEpochs", "");
        await FillAsync(page, "training.trainSubset", "1000");
        await Assertions.Expect(page.Locator("#cell-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^2 cells"));
        await fixture.ScreenshotAsync(page, "sweep-builder");

        await page.Locator("#create").ClickAsync();

        // Blazor navigates in the page (history.pushState): wait for the URL, not for a load event.
        try
        {
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sweeps/[0-9a-f-]{36}$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            var errors = await page.Locator(".field-error, #submit-status").AllInnerTextsAsync();
            // Whether the circuit was still connected, and the button's state: an empty status means the submit never ran.
            var circuit = await page.EvaluateAsync<string>(
                "() => `reconnect: ${document.getElementById('components-reconnect-modal')?.className ?? 'none'}, " +
                "create disabled: ${document.getElementById('create')?.disabled}, url: ${location.pathname}`");
            Assert.Fail($"The builder did not create the sweep; the page says: {string.Join(" | ", errors)} ({circuit})");
        }
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("browser-builder");
        await Assertions.Expect(page.Locator("#trials .badge.completed")).ToHaveCountAsync(2, new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator("#heatmap g.hm")).ToHaveCountAsync(1);

        await page.Locator("#trials a", new() { HasText = "details" }).First.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/trials/[0-9a-f-]{36}$"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("learningRate");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("libtorch");
        await fixture.ScreenshotAsync(page, "trial-page");
    }

    [Fact]
    public async Task An_invalid_grid_shows_the_error_next_to_the_ghost_size_field()
    {
        var page = await OpenBuilderAsync();
        await FillAsync(page, "name", "browser-invalid");
        await FillAsync(page, "grid.batchSize", "128");
        await FillAsync(page, "grid.ghostBatchSize", "96");
        await page.Locator("#create").ClickAsync();

        var error = page.Locator("#error-grid-ghostBatchSize");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("96");
        Assert.Contains("error-grid-ghostBatchSize", await page.Locator("#field-grid-ghostBatchSize").GetAttributeAsync("aria-describedby") ?? "");
        Assert.EndsWith("/sweeps/new", page.Url);
    }
}

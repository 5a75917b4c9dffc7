using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Sweep.Browser.Tests;

/// <summary>
/// The sweep page's configuration panel: folded at load, it opens to the settings and the resolved per-cell plan,
/// and a sweep that claims the paper's F1 preset on 2 epochs of 1,024 images says so there and under the paper's numbers.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConfigPanelTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task The_panel_opens_to_the_resolved_plan_and_warns_where_the_sweep_departs_from_its_preset()
    {
        // The paper preset's grid (F1, B_ref 128) with a short regime on a subset; cancelled at once, since the panel
        // shows the plan, not results, and the shared worker stays free for the other tests.
        using var http = fixture.ApiClient();
        const string body = """
            {"name":"browser-config","dataset":"fashion-mnist","model":"f1",
             "grid":{"batchSize":[128,1024],"ghostBatchSize":[128,1024],"regimeMultiplier":[1,"auto"],"lrScaling":["none","sqrt"]},
             "skipInvalidCells":true,
             "training":{"epochs":2,"lrDropEpochs":[1],"seeds":[1],"trainSubset":1024,"referenceBatchSize":128}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await http.PostAsync($"/api/v1/sweeps/{id}/cancel", null)).EnsureSuccessStatusCode();

        var page = await fixture.NewPageAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        var panel = page.Locator("details#config-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        output.WriteLine($"[timing] sweep page with the configuration panel: {watch.ElapsedMilliseconds} ms");

        // Folded at load: the summary says the essentials, the plan is hidden until opened.
        await Assertions.Expect(panel.Locator("summary")).ToContainTextAsync("f1 on fashion-mnist, 2 epochs, 1,024 training images");
        await Assertions.Expect(page.Locator("#config-plan")).Not.ToBeVisibleAsync();

        // Opened once the circuit runs: the interactive render replaces the prerendered page, and its state with it.
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-interactive", "true");
        await panel.Locator("summary").ClickAsync();
        await Assertions.Expect(page.Locator("#config-plan")).ToBeVisibleAsync();

        // B = 1024, G = 128, r = auto = ceil(1024 / 128) = 8, sqrt scaling: 16 epochs of one update, η = 0.1·sqrt(8),
        // the drop at epoch 1 stretched to 8, exactly as the trainer's plan.
        var row = page.Locator("#config-plan tr.plan-row").Filter(new() { HasText = "sqrt" })
            .Filter(new() { Has = page.Locator("td:nth-child(1)", new() { HasTextString = "1024" }) })
            .Filter(new() { Has = page.Locator("td:nth-child(2)", new() { HasTextString = "128" }) })
            .Filter(new() { Has = page.Locator("td:nth-child(3)", new() { HasTextString = "8" }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td.plan-epochs")).ToHaveTextAsync("16");
        await Assertions.Expect(row.Locator("td.plan-updates")).ToHaveTextAsync("16");
        await Assertions.Expect(row.Locator("td.plan-lr")).ToHaveTextAsync("0.282843");
        await Assertions.Expect(row.Locator("td.plan-drops")).ToHaveTextAsync("8");
        await Assertions.Expect(page.Locator("#config-plan thead")).ToContainTextAsync("batch size B");
        await Assertions.Expect(page.Locator("#config-plan thead")).Not.ToContainTextAsync("batchSize");
        await Assertions.Expect(page.Locator("#config-lr-rule")).ToContainTextAsync("η_ref = 0.1, B_ref = 128");

        // The departure from the preset, in the panel and beside the paper's numbers.
        var departure = page.Locator("#config-departure");
        await Assertions.Expect(departure).ToContainTextAsync("Hoffer et al. 2017, F1 on Fashion-MNIST");
        await Assertions.Expect(departure.Locator("li[data-setting='epochs']")).ToHaveTextAsync("epochs: 2 here, 50 in the preset");
        await Assertions.Expect(departure.Locator("li[data-setting='training subset']")).ToContainTextAsync("1,024 images");
        await Assertions.Expect(departure.Locator("li[data-setting='large batch']")).ToContainTextAsync("4,096");
        await Assertions.Expect(page.Locator("#reproduction-table .paper-result")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#preset-departure")).ToContainTextAsync("epochs: 2 here, 50 in the preset");

        // Still open after the live refresh has ticked (every 1.5 s): the panel keeps the researcher's choice.
        await page.WaitForTimeoutAsync(2_000);
        await Assertions.Expect(page.Locator("#config-plan")).ToBeVisibleAsync();

        // Axis selectors read as names, not API keys.
        await Assertions.Expect(page.Locator("#x-axis option[value='BatchSize']")).ToHaveTextAsync("batch size B");
        await fixture.ScreenshotAsync(page, "sweep-config-panel");
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

// One web app, one worker and one browser for every browser test; the tests run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The browser tier: `./sweep test --fast` skips it, `./sweep test` runs it after the parallel tier.
[assembly: AssemblyTrait(Sweep.Testing.Tier.Name, Sweep.Testing.Tier.Browser)]

namespace Sweep.Browser.Tests;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

[Collection(BrowserCollection.Name)]
public sealed class SweepPageTests(BrowserFixture fixture)
{
    private static readonly TimeSpan Training = TimeSpan.FromMinutes(3);

    private async Task<Guid> PostAsync(string name, string extraAxes = "")
    {
        using var http = fixture.ApiClient();
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64,128],"ghostBatchSize":[32],"regimeMultiplier":[1]{{{extraAxes}}}},
             "training":{"epochs":1,"lrDropEpochs":[],"seeds":[1],"trainSubset":1000}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task The_sweep_page_shows_progress_live_and_draws_the_heatmap_when_trials_finish()
    {
        var id = await PostAsync("browser-live");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("browser-live");

        // No reload: the interactive page refreshes itself while trials run.
        await Assertions.Expect(page.Locator("#trials .badge.completed")).ToHaveCountAsync(2, new() { Timeout = (float)Training.TotalMilliseconds });
        await Assertions.Expect(page.Locator("#heatmap .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#heatmap-container")).ToHaveAttributeAsync("data-cells", "2");

        // Plotly drew the heatmap trace itself (its layer), not just empty axes.
        await Assertions.Expect(page.Locator("#heatmap g.hm")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Three_seeds_give_bands_on_the_curves_and_intervals_in_the_heatmap_hover()
    {
        using var http = fixture.ApiClient();
        const string body = """
            {"name":"browser-seeds","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64,128],"ghostBatchSize":[32],"regimeMultiplier":[1]},
             "training":{"epochs":2,"lrDropEpochs":[],"seeds":[1,2,3],"trainSubset":512}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        await Assertions.Expect(page.Locator("#trials .badge.completed")).ToHaveCountAsync(6, new() { Timeout = (float)(2 * Training.TotalMilliseconds) });
        await Assertions.Expect(page.Locator("#heatmap-container")).ToHaveAttributeAsync("data-cells", "2");

        // Every cell's hover holds its 95 % interval over the three seeds.
        await page.WaitForFunctionAsync("() => document.getElementById('heatmap')?.data?.[0]?.text?.flat().every(t => t.includes('(n = 3)') && t.includes('95 % CI ['))");

        // The learning curves group the seeds by configuration: a mean line over a filled band ('tonexty'), drawn by Plotly.
        await page.WaitForFunctionAsync("() => (document.getElementById('learning-curves')?.data ?? []).some(t => t.fill === 'tonexty' && t.name.endsWith('95 % band'))");
        await Assertions.Expect(page.Locator("#learning-curves path.js-fill").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#learning-curves-seeds")).ToBeVisibleAsync();

        // The toggle goes back to one curve per seed, without bands.
        await page.SelectOptionAsync("#learning-curves-seeds", "seeds");
        await page.WaitForFunctionAsync("() => { const d = document.getElementById('learning-curves')?.data ?? []; return d.length > 0 && d.every(t => t.fill !== 'tonexty'); }");
        await fixture.ScreenshotAsync(page, "sweep-page-seeds");
    }

    [Fact]
    public async Task Facets_split_the_heatmap_by_a_third_axis_and_clicking_a_cell_opens_its_trial()
    {
        var id = await PostAsync("browser-facets", ""","lrScaling":["none","sqrt"]""");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        await Assertions.Expect(page.Locator("#trials .badge.completed")).ToHaveCountAsync(4, new() { Timeout = (float)Training.TotalMilliseconds });

        // The click module marks the chart once it listens, which also means the circuit is live.
        await Assertions.Expect(page.Locator("#heatmap")).ToHaveAttributeAsync("data-clickable", "true");
        await page.SelectOptionAsync("#facet", "lrScaling");
        await Assertions.Expect(page.Locator("#heatmap-container")).ToHaveAttributeAsync("data-panels", "2");
        await Assertions.Expect(page.Locator("#heatmap g.hm")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#heatmap .annotation-text").First).ToHaveTextAsync("LR scaling = none");
        await fixture.ScreenshotAsync(page, "sweep-page");

        // The first panel (LR scaling = none) has one row and two columns: B = 64 on the left, 128 on the right.
        await HeatmapCellClick.OpenTrialAsync(page, 0.25f, new System.Text.RegularExpressions.Regex("/trials/[0-9a-f-]{36}$"));

        var trialId = page.Url[^36..];
        using var http = fixture.ApiClient();
        var trial = await http.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trialId}");
        var view = trial.GetProperty("trial");
        Assert.Equal(id, trial.GetProperty("sweepId").GetGuid());
        Assert.Equal(64, view.GetProperty("batchSize").GetInt32());
        Assert.Equal("none", view.GetProperty("lrScaling").GetString());
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("B=64");
    }

    [Fact]
    public async Task The_sweeps_list_links_to_each_sweep()
    {
        var id = await PostAsync("browser-list");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");

        var link = page.GetByRole(AriaRole.Link, new() { Name = "browser-list" });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "sweeps-list");
        await link.ClickAsync();
        await page.WaitForURLAsync($"**/sweeps/{id}");
    }
}

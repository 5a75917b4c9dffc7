using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sweep.Browser.Tests;

/// <summary>
/// Issue 14, item 8: a signed-out viewer of a share link opens the trials of that sweep, from the trial table and from
/// a heatmap cell, under the link's own path (/s/{token}/trials/{id}), not the sign-in page, and is offered no Clone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ShareTrialPageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Training = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_signed_out_viewer_opens_a_shared_sweeps_trials_from_the_table_and_the_heatmap()
    {
        var sweep = await CompletedSweepAsync("browser-shared-trial");
        var token = await ShareAsync(sweep);

        // A fresh context: no session, no token, nothing but the link.
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var sharedTrial = new Regex($"/s/{Regex.Escape(token)}/trials/[0-9a-f-]{{36}}$");

        await page.GotoAsync($"{fixture.BaseUrl}/s/{token}");
        await Assertions.Expect(page.Locator("#shared-notice")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clone-sweep")).ToHaveCountAsync(0);

        // From the trial table.
        var clock = Stopwatch.StartNew();
        await page.Locator("#trials .trial-link").First.ClickAsync();
        await page.WaitForURLAsync(sharedTrial);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Trial B=64");
        output.WriteLine($"shared trial page from the table, click to heading: {clock.ElapsedMilliseconds} ms");
        await ExpectSharedTrialAsync(page);

        // Back to the sweep under the link, then from a heatmap cell (the chart listens once the circuit is live).
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the sweep" }).ClickAsync();
        await page.WaitForURLAsync($"**/s/{token}");
        await Assertions.Expect(page.Locator("#heatmap")).ToHaveAttributeAsync("data-clickable", "true");
        clock.Restart();
        await HeatmapCellClick.OpenTrialAsync(page, 0.5f, sharedTrial);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Trial B=64");
        output.WriteLine($"shared trial page from a heatmap cell, click to heading: {clock.ElapsedMilliseconds} ms");
        await ExpectSharedTrialAsync(page);
        Assert.DoesNotContain("/account/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_or_a_trial_of_another_sweep_is_not_found()
    {
        var (sweep, trial) = await QueuedSweepAsync("browser-shared-guard");
        var (other, otherTrial) = await QueuedSweepAsync("browser-not-shared");
        using (var http = fixture.ApiClient())
        {
            // Nothing here needs training: keep the worker for the other tests.
            (await http.PostAsync($"/api/v1/sweeps/{sweep}/cancel", null)).EnsureSuccessStatusCode();
            (await http.PostAsync($"/api/v1/sweeps/{other}/cancel", null)).EnsureSuccessStatusCode();
        }

        var token = await ShareAsync(sweep);
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        var open = await page.GotoAsync($"{fixture.BaseUrl}/s/{token}/trials/{trial}");
        Assert.Equal(200, open!.Status);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Trial B=64");

        foreach (var path in new[] { $"/s/{token}x/trials/{trial}", $"/s/{token}/trials/{otherTrial}" })
        {
            var response = await page.GotoAsync(fixture.BaseUrl + path);
            // The app's 404 for pages (UseStatusCodePages answers it), with nothing of the trial and no sign-in form.
            Assert.Equal(404, response!.Status);
            var body = await page.Locator("body").InnerTextAsync();
            Assert.DoesNotContain("Trial B=", body);
            Assert.Equal(0, await page.Locator("#password, #trial-state").CountAsync());
        }
    }

    /// <summary>The trial's own content, read-only: its summary and attempts, no control, no Clone, no sign-in form.</summary>
    private static async Task ExpectSharedTrialAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Trial B=64");
        await Assertions.Expect(page.Locator("#trial-state")).ToHaveTextAsync("completed");
        await Assertions.Expect(page.Locator("#attempts tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#attempts tbody tr td").Nth(4)).ToHaveTextAsync("completed");
        await Assertions.Expect(page.Locator("#shared-notice")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(2_000); // the circuit has rendered and refreshed once (every 1.5 s, LiveRefresh.Interval)
        Assert.Equal(0, await page.Locator("#clone-sweep, #cancel-trial, #retry-trial, #download-checkpoint, #password").CountAsync());
    }

    /// <summary>A one-cell sweep trained to completion by the fixture's worker.</summary>
    private async Task<Guid> CompletedSweepAsync(string prefix)
    {
        var (id, _) = await QueuedSweepAsync(prefix);
        using var http = fixture.ApiClient();
        var deadline = DateTime.UtcNow + Training;
        while (DateTime.UtcNow < deadline)
        {
            var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
            var states = sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
            if (states.All(s => s == "completed"))
            {
                return id;
            }

            Assert.DoesNotContain("failed", states);
            await Task.Delay(1_000);
        }

        throw new TimeoutException($"The sweep {id} did not complete within {Training}.\n{fixture.WebOutput}");
    }

    private async Task<(Guid Sweep, Guid Trial)> QueuedSweepAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        using var http = fixture.ApiClient();
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64],"ghostBatchSize":[32],"regimeMultiplier":[1]},
             "training":{"epochs":1,"lrDropEpochs":[],"seeds":[1],"trainSubset":512}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        return (id, sweep.GetProperty("trials")[0].GetProperty("id").GetGuid());
    }

    private async Task<string> ShareAsync(Guid sweep)
    {
        using var http = fixture.ApiClient();
        var response = await http.PostAsync($"/api/v1/sweeps/{sweep}/share-links", new StringContent("{}", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}

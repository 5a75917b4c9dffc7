using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Sweep.Browser.Tests;

/// <summary>
/// Issue 13, items 1 and 3, over the real circuit: a chromium page on the real Kestrel process, with read-only
/// credentials, finds no write control that works; and an open page whose share link is revoked loses its data.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadCredentialPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Item1_read_credentials_over_the_real_circuit_find_no_write_control_that_works()
    {
        var (id, name) = await SettledSweepAsync("browser-read-only");
        var readToken = await PostForTokenAsync("/api/v1/tokens", """{"name":"browser read","scope":"read"}""");
        var shareToken = await PostForTokenAsync($"/api/v1/sweeps/{id}/share-links", "{}");

        // The administrator's read token as a header on every request, page and /_blazor alike, without a session.
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + readToken },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync($"{fixture.BaseUrl}/sweeps/{id}");
        await TryEveryWriteControlAsync(page);
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);

        // The share link's page, interactive over its circuit, with the same header: read-only.
        await page.GotoAsync($"{fixture.BaseUrl}/s/{shareToken}");
        await Assertions.Expect(page.Locator("#shared-notice")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForTimeoutAsync(3_000); // the circuit has rendered (its refresh ticks every 1.5 s)
        await TryEveryWriteControlAsync(page);
        await Assertions.Expect(page.Locator("#trials")).ToBeVisibleAsync();

        using var http = fixture.ApiClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/sweeps/{id}")).StatusCode);
    }

    [Fact]
    public async Task Item3_an_open_page_loses_its_data_within_one_refresh_when_its_share_link_is_revoked()
    {
        var (id, name) = await SettledSweepAsync("browser-revoked");
        using var http = fixture.ApiClient();
        var created = await http.PostAsync($"/api/v1/sweeps/{id}/share-links", new StringContent("{}", Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        var linkId = body.GetProperty("details").GetProperty("id").GetGuid();

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.BaseUrl}/s/{token}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForTimeoutAsync(3_000);
        await Assertions.Expect(page.Locator("#trials")).ToBeVisibleAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/v1/sweeps/{id}/share-links/{linkId}")).StatusCode);

        // No reload: the page's next refresh (1.5 s) re-checks the link and drops the data.
        await Assertions.Expect(page.Locator("#trials")).ToHaveCountAsync(0, new() { Timeout = 6_000 });
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sweep not found");
        Assert.DoesNotContain(name, await page.Locator("body").InnerTextAsync());
    }

    /// <summary>Clicks whatever write control the page offers; none may be there, and none may have any effect.</summary>
    private static async Task TryEveryWriteControlAsync(IPage page)
    {
        foreach (var control in new[] { "#delete-sweep", "#delete-confirm", "#cancel-trial", "#retry-trial", "#create" })
        {
            if (await page.Locator(control).CountAsync() > 0)
            {
                await page.Locator(control).First.ClickAsync(new() { Timeout = 5_000 });
                await page.WaitForTimeoutAsync(1_000);
            }
        }

        Assert.Equal(0, await page.Locator("#delete-sweep, #delete-confirm, #share-sweep").CountAsync());
    }

    /// <summary>A sweep created and cancelled at once, so that nothing is queued or running and Delete would be offered to an editor.</summary>
    private async Task<(Guid Id, string Name)> SettledSweepAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        using var http = fixture.ApiClient();
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64],"ghostBatchSize":[32],"regimeMultiplier":[1]},
             "training":{"epochs":1,"lrDropEpochs":[],"seeds":[1],"trainSubset":256}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await http.PostAsync($"/api/v1/sweeps/{id}/cancel", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < 60; i++)
        {
            var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
            if (sweep.GetProperty("trials").EnumerateArray().All(t => t.GetProperty("state").GetString() is "cancelled" or "completed" or "failed"))
            {
                return (id, name);
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The sweep {id} did not settle.");
    }

    private async Task<string> PostForTokenAsync(string path, string json)
    {
        using var http = fixture.ApiClient();
        var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}

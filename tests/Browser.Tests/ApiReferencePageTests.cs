using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sweep.Browser.Tests;

/// <summary>
/// Issue 14, item 12: the API reference works on an air-gapped deployment. Every request the page makes goes to the
/// app's own origin (anything else is refused and fails the test), the operations render, the page says how to send a
/// token, and it shows no vendor buttons.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiReferencePageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_reference_renders_the_operations_from_the_apps_own_origin_only()
    {
        var page = await fixture.NewPageAsync();
        var foreign = new List<string>();
        var origin = new Uri(fixture.BaseUrl).GetLeftPart(UriPartial.Authority);
        await page.RouteAsync("**/*", route =>
        {
            if (route.Request.Url.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                return route.ContinueAsync();
            }

            // As on an air-gapped network: nothing outside the app answers.
            lock (foreign)
            {
                foreign.Add(route.Request.Url);
            }

            return route.AbortAsync();
        });

        await page.GotoAsync(fixture.BaseUrl + "/scalar/v1");
        await Assertions.Expect(page.GetByText("Create a sweep: one trial per valid grid cell").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Authorization: Bearer").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "api-reference.png") }); // the first screen: the full page is 16,000 px tall

        var controls = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a, button')].map(e => `${e.tagName} ${(e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40)} ${e.getAttribute('href') ?? ''}`)");
        output.WriteLine($"{controls.Length} links and buttons:");
        foreach (var control in controls.Distinct().Take(80))
        {
            output.WriteLine("  " + control);
        }

        Assert.True(foreign.Count == 0, "requests outside the app: " + string.Join(", ", foreign));
        Assert.Equal(0, await page.Locator("a[href*='scalar.com'] >> visible=true").CountAsync());
        foreach (var vendor in new[] { "Deploy", "Generate SDK", "Open API Client", "Open in client", "Powered by", "Ask AI" })
        {
            Assert.Equal(0, await page.GetByText(vendor).Locator("visible=true").CountAsync());
        }
    }
}

using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sweep.Browser.Tests;

/// <summary>
/// Issue 14, item 10: at 390×844 (a phone) no page scrolls sideways, wide tables scroll inside their own container,
/// and the collapsed navigation still reaches every link. Each page's time to content is printed to the test output.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLayoutTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const int Width = 390;
    private const int Height = 844;

    [Theory]
    [InlineData("list", "sweeps-list-phone")]
    [InlineData("builder", "sweep-builder-phone")]
    [InlineData("sweep", "sweep-page-phone")]
    [InlineData("trial", "trial-page-phone")]
    [InlineData("account", "account-phone")]
    public async Task A_page_at_390_px_does_not_scroll_sideways(string name, string screenshot)
    {
        var pages = await SamplePages.GetAsync(fixture);
        var page = await fixture.NewPageAsync(Width, Height);

        // Twice: the first visit pays for the server's first render of the page, the second is what a returning user waits.
        var first = await OpenAsync(page, name, pages);
        var again = await OpenAsync(page, name, pages);
        output.WriteLine($"phone {name}: content visible {first} ms after navigation started (first visit), {again} ms (again)");

        // Plotly draws after the circuit's first render: measure the page as it finally stands.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(500);
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        output.WriteLine($"phone {name}: scrollWidth {scrollWidth} px");
        if (scrollWidth > Width + 1)
        {
            foreach (var culprit in await page.EvaluateAsync<string[]>(OverflowingElements))
            {
                output.WriteLine("  wider than the screen: " + culprit);
            }
        }

        await fixture.ScreenshotAsync(page, screenshot);
        Assert.True(scrollWidth <= Width + 1, $"{name} is {scrollWidth} px wide at {Width} px");
    }

    /// <summary>Milliseconds from the request to the page's content and h1 on screen (not to the load event, which waits for Plotly's script).</summary>
    private async Task<long> OpenAsync(IPage page, string name, SamplePages pages)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(fixture.BaseUrl + pages.PathOf(name), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(SamplePages.ContentOf(name)).First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        return clock.ElapsedMilliseconds;
    }

    [Fact]
    public async Task The_collapsed_navigation_opens_without_a_circuit_and_reveals_queues_and_the_account()
    {
        var page = await fixture.NewPageAsync(Width, Height);

        // The account page is static server rendering: no circuit, so the toggle must work on HTML and CSS alone.
        await page.GotoAsync(fixture.BaseUrl + "/account");
        var queues = page.Locator("header a[href='/hangfire']");
        var account = page.Locator("#account-link");
        await Assertions.Expect(queues).ToBeHiddenAsync();
        await Assertions.Expect(account).ToBeHiddenAsync();

        await page.Locator("label[for=nav-toggle]").ClickAsync();
        foreach (var link in new[] { queues, account })
        {
            await Assertions.Expect(link).ToBeVisibleAsync();
            var box = await link.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= Width, $"a nav link lies outside the screen: x {box.X}, width {box.Width}");
        }

        await fixture.ScreenshotAsync(page, "navigation-phone");

        // The keyboard reaches the toggle too: Space on the focused checkbox closes the menu again.
        await page.Locator("#nav-toggle").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(queues).ToBeHiddenAsync();
    }

    /// <summary>The outermost elements that stick out on the right, outside any container that scrolls them.</summary>
    private const string OverflowingElements = """
        () => {
          const w = document.documentElement.clientWidth, out = [];
          const clipped = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right <= w + 1 || r.width === 0 || clipped(el)) continue;
            const p = el.parentElement.getBoundingClientRect();
            if (p.right > w + 1 && el.parentElement !== document.body) continue;
            out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} right ${Math.round(r.right)} px`);
          }
          return out.slice(0, 15);
        }
        """;
}

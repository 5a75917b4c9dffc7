using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Sweep.Browser.Tests;

/// <summary>
/// Issue 14, item 11: axe-core (through Deque.AxeCore.Playwright, in Debian's chromium) finds no serious or critical
/// violation on the pages a researcher lives in. Every violation of any impact is printed to the test output, so that
/// docs/accessibility.md can give the counts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Theory]
    [InlineData("list")]
    [InlineData("builder")]
    [InlineData("sweep")]
    [InlineData("trial")]
    [InlineData("account")]
    [InlineData("share-links")]
    public async Task A_signed_in_page_has_no_serious_or_critical_violation(string name)
    {
        var pages = await SamplePages.GetAsync(fixture);
        var page = await fixture.NewPageAsync();
        await AssertAccessibleAsync(page, name, pages);
    }

    [Fact]
    public async Task The_shared_sweep_page_signed_out_has_no_serious_or_critical_violation()
    {
        var pages = await SamplePages.GetAsync(fixture);
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await AssertAccessibleAsync(page, "shared-sweep", pages);
        await Assertions.Expect(page.Locator("#shared-notice")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Every_state_badge_reaches_the_contrast_of_normal_text()
    {
        // The sample pages only show completed trials: put one badge of every state on a page and let axe measure them.
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/account");
        await page.EvaluateAsync("""
            states => { const p = document.createElement('p'); p.id = 'all-badges';
              for (const s of states) { const b = document.createElement('span'); b.className = 'badge ' + s; b.textContent = s; p.append(b, ' '); }
              document.querySelector('main').append(p); }
            """, new[] { "queued", "running", "completed", "failed", "cancelled", "example", "unknown-state" });
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast"] } });
        var failing = result.Violations.SelectMany(v => v.Nodes).Select(n => n.Html).ToList();
        Assert.True(failing.Count == 0, "badges under 4.5:1: " + string.Join(", ", failing));
        Assert.Equal(7, result.Passes.SelectMany(v => v.Nodes).Count(n => n.Html.Contains("class=\"badge ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_heading_focused_after_a_navigation_shows_no_focus_box()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/account");
        await page.Locator("header nav a[href='/']").ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Sweeps");

        // Blazor's FocusOnNavigate moves focus to the h1 (screen readers announce the new page); a mouse user sees no box.
        await page.WaitForFunctionAsync("() => document.activeElement?.tagName === 'H1'");
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
    }

    private async Task AssertAccessibleAsync(IPage page, string name, SamplePages pages)
    {
        await page.GotoAsync(fixture.BaseUrl + pages.PathOf(name));
        await Assertions.Expect(page.Locator(SamplePages.ContentOf(name)).First).ToBeAttachedAsync(new() { Timeout = 30_000 });

        // Let the circuit's first renders and Plotly's drawing settle, so that axe sees the page a user sees.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(500);

        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        output.WriteLine($"axe {name}: {blocking.Count} serious or critical, {result.Violations.Length} violations in all");
        foreach (var violation in result.Violations)
        {
            output.WriteLine($"  {violation.Id} ({violation.Impact}): {violation.Help} — {violation.Nodes.Length} node(s)");
            foreach (var node in violation.Nodes.Take(8))
            {
                output.WriteLine($"    {node.Target}  {Shorten(node.Html)}");
            }
        }

        Assert.True(blocking.Count == 0, $"{name}: {string.Join(", ", blocking.Select(v => $"{v.Id} ({v.Impact}, {v.Nodes.Length} nodes)"))}");
    }

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";
}

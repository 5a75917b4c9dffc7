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

    private async Task AssertAccessibleAsync(IPage page, string name, SamplePages pages)
    {
        await page.GotoAsync(fixture.BaseUrl + pages.PathOf(name));
        await Assertions.Expect(page.Locator(SamplePages.ContentOf(name)).First).ToBeAttachedAsync();

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

using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Sweep.Browser.Tests;

/// <summary>
/// Clicks a point of the heatmap's first panel until the page opens a trial (at most 3 clicks). The panel is measured
/// again before each click: under load the layout, or a draw of the same figure, can still be settling when it is first
/// measured, and Plotly opens nothing for a click that lands between cells or during a redraw, which loses its hover.
/// </summary>
internal static class HeatmapCellClick
{
    public static async Task OpenTrialAsync(IPage page, float xFraction, Regex trialUrl)
    {
        for (var attempt = 1; !trialUrl.IsMatch(page.Url); attempt++)
        {
            var panel = await page.Locator("#heatmap .draglayer .xy .nsewdrag").First.BoundingBoxAsync();
            Assert.NotNull(panel);
            var (x, y) = (panel.X + panel.Width * xFraction, panel.Y + panel.Height * 0.5f);
            await page.Mouse.MoveAsync(x, y);
            await page.Mouse.ClickAsync(x, y);
            try
            {
                await page.WaitForURLAsync(trialUrl, new() { Timeout = 10_000 });
            }
            catch (Exception ex) when (attempt < 3 && ex is TimeoutException or PlaywrightException)
            {
            }
        }
    }
}

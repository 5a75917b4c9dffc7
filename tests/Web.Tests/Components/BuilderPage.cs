using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Web.Components.Pages;

namespace Sweep.Web.Tests.Components;

/// <summary>The builder page as its tests render it: at a URL, once its clone and measured-speed lookups have finished.</summary>
internal static class BuilderPage
{
    public static IRenderedComponent<NewSweep> Render(BunitContext context, string url = "/sweeps/new")
    {
        context.Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        var cut = context.Render<NewSweep>();

        // The clone and measured-speed lookups finish after the first render.
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find(".builder-summary").GetAttribute("aria-busy")), TimeSpan.FromSeconds(30));
        return cut;
    }

    public static string CellCount(IRenderedComponent<NewSweep> cut) => cut.Find("#cell-count").TextContent;
}

using Bunit;
using Microsoft.AspNetCore.Components;

namespace Sweep.Web.Tests.Components;

/// <summary>
/// A bUnit context for rendering a chart component on its own, as the circuit renders it: interactive (the heatmap
/// writes its prerendered figure only when not), with loose JS interop for Plotly's calls.
/// </summary>
internal static class ChartContext
{
    public static BunitContext Interactive()
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }
}

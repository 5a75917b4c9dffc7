namespace Sweep.Web.Hosting;

/// <summary>
/// Serves plotly.js's cartesian bundle (1.4 MB: heatmap, scatter and the other 2-D traces, all Sweep draws) where
/// Plotly.Blazor's interop loads its full bundle (4.8 MB, with 3-D, maps and WebGL that no page uses). The interop
/// hard-codes that path, so the request is rewritten before routing picks the package's asset (ADR 0014). The
/// vendored file (wwwroot/lib/plotly, from npm's plotly.js-cartesian-dist-min) is the same plotly.js version as
/// Plotly.Blazor's; a test fails when an upgrade of either leaves them apart.
/// </summary>
public sealed class PlotlyBundle : IStartupFilter
{
    /// <summary>The path Plotly.Blazor 7.2's interop (and the early heatmap draw) asks for.</summary>
    public const string RequestedPath = "/_content/Plotly.Blazor/plotly-3.7.0.min.js";

    /// <summary>What is served there.</summary>
    public const string ServedPath = "/lib/plotly/plotly-cartesian-3.7.0.min.js";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // A startup filter runs ahead of the application's pipeline, so ahead of the routing that WebApplication puts first.
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Path.Equals(RequestedPath, StringComparison.Ordinal))
            {
                context.Request.Path = ServedPath;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

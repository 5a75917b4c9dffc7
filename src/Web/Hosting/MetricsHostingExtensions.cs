using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sweep.Data.Telemetry;
using Sweep.Web.Access;

namespace Sweep.Web.Hosting;

/// <summary>Web's telemetry: the shared setup (src/Data/Telemetry), ASP.NET Core instrumentation, and the administrators' /metrics.</summary>
public static class MetricsHostingExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddSweepWebTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OperatorSnapshotReader>();
        builder.Services.AddSingleton<OperatorMetrics>();
        builder.Services.AddSweepTelemetry(
            builder.Configuration,
            "sweep-web",
            tracing => tracing.AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = RedactPath),
            metrics => metrics.AddAspNetCoreInstrumentation()
                .AddMeter(OperatorMetrics.MeterName)
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// The scrape endpoint, administrators only (a read-only token is enough): <see cref="ApiAccessMiddleware"/> answers
    /// 401 and 403 from the declared access, and bearer tokens authenticate here so that Prometheus can scrape.
    /// </summary>
    public static WebApplication MapSweepMetrics(this WebApplication app)
    {
        // Made now, so that the gauges exist before the first scrape collects.
        _ = app.Services.GetRequiredService<OperatorMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAdmin().ExcludeFromDescription();
        return app;
    }

    /// <summary>Share links carry their token in the path (/s/{token}); spans must not hold a working link.</summary>
    private static void RedactPath(System.Diagnostics.Activity activity, HttpRequest request)
    {
        var path = request.Path.Value;
        if (SecretTokens.ContainsSecret(path))
        {
            activity.SetTag("url.path", SecretTokens.Redact(path!));
            activity.DisplayName = $"{request.Method} [redacted]";
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Sweep.Data.Telemetry;

/// <summary>
/// The OpenTelemetry setup Web and Jobs share: resource, HttpClient, Npgsql and runtime instrumentation, and OTLP
/// export where a collector is configured. Each host adds its own instrumentation and readers through the callbacks.
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <param name="serviceName">The service.name resource attribute: sweep-web or sweep-jobs.</param>
    /// <param name="tracing">The host's own trace instrumentation; only called when traces are exported.</param>
    /// <param name="metrics">The host's own meters and readers (Web adds its scrape endpoint's exporter).</param>
    public static IServiceCollection AddSweepTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string serviceName,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        var standardEndpoint = configuration[TelemetryOptions.StandardEndpointVariable];
        services.AddOptions<TelemetryOptions>()
            .Bind(configuration.GetSection(TelemetryOptions.Section))
            .ValidateDataAnnotations()
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.OtlpEndpoint) || string.IsNullOrWhiteSpace(standardEndpoint) || o.ResolveEndpoint(standardEndpoint) is not null,
                $"{TelemetryOptions.StandardEndpointVariable} must be an absolute http or https address; got '{standardEndpoint}'.")
            .ValidateOnStart();

        // Read once here as well: whether an exporter exists decides what is registered, before options can be resolved.
        // An invalid value registers nothing and the validation above stops the start with its message.
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = options.ResolveEndpoint(standardEndpoint);

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(TelemetryHostingExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddRuntimeInstrumentation().AddHttpClientInstrumentation().AddNpgsqlInstrumentation();
                metrics?.Invoke(m);
            });

        if (endpoint is null)
        {
            // No collector: no spans are made at all (no sampler runs, no exporter retries into the void).
            return services;
        }

        builder.WithTracing(t =>
        {
            t.AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = OutgoingUrls.Redact).AddNpgsql();
            tracing?.Invoke(t);
        });
        builder.UseOtlpExporter(options.OtlpProtocol == TelemetryOptions.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc, endpoint);
        return services;
    }
}

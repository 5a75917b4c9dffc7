using System.ComponentModel.DataAnnotations;

namespace Sweep.Data.Telemetry;

/// <summary>
/// Traces and metrics of a Sweep process (Web and Jobs alike). Bound from the "Telemetry" section; validated at start.
/// OTLP export is off unless <see cref="OtlpEndpoint"/> or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so
/// a deployment without a collector sends nothing and logs no export errors.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>The standard variable the OpenTelemetry SDK reads; honoured here so that operators need no Sweep-specific name.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string Grpc = "grpc";

    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector's base address, e.g. http://otel-collector:4317; wins over OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (port 4317) or http/protobuf (port 4318, with /v1/traces and /v1/metrics appended).</summary>
    [RegularExpression("^(grpc|http/protobuf)$", ErrorMessage = "Telemetry:OtlpProtocol must be grpc or http/protobuf.")]
    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>
    /// The operator gauges (queue depth, workers, webhook failures) read the database at most this often, however
    /// often anyone scrapes: a scrape storm costs one cheap query per interval.
    /// </summary>
    [Range(1, 300)]
    public int OperatorMetricsSeconds { get; set; } = 5;

    /// <summary>The collector's address from this section or, failing that, from the standard variable; null: no OTLP export.</summary>
    public Uri? ResolveEndpoint(string? standardVariable)
    {
        var text = string.IsNullOrWhiteSpace(OtlpEndpoint) ? standardVariable : OtlpEndpoint;
        return string.IsNullOrWhiteSpace(text) ? null : ParseEndpoint(text);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && ParseEndpoint(OtlpEndpoint) is null)
        {
            yield return new ValidationResult(
                $"Telemetry:OtlpEndpoint must be an absolute http or https address; got '{OtlpEndpoint}'.", [nameof(OtlpEndpoint)]);
        }
    }

    private static Uri? ParseEndpoint(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sweep.Data.Telemetry;

namespace Sweep.Web.Tests.Telemetry;

/// <summary>The telemetry settings are checked at start: a collector address that is not absolute http(s) stops the process.</summary>
public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("Telemetry:OtlpEndpoint", "otel-collector:4317")]
    [InlineData(TelemetryOptions.StandardEndpointVariable, "not a url")]
    [InlineData("Telemetry:OtlpProtocol", "udp")]
    [InlineData("Telemetry:OperatorMetricsSeconds", "0")]
    public void A_bad_setting_fails_validation(string key, string value)
    {
        using var services = Build(new Dictionary<string, string?> { [key] = value });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TelemetryOptions>>().Value);
    }

    [Fact]
    public void The_options_endpoint_wins_over_the_standard_variable()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = "http://collector:4317",
            [TelemetryOptions.StandardEndpointVariable] = "http://other:4317",
        });
        var options = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        Assert.Equal(new Uri("http://collector:4317"), options.ResolveEndpoint("http://other:4317"));
        Assert.Null(new TelemetryOptions().ResolveEndpoint(null));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSweepTelemetry(configuration, "sweep-test").BuildServiceProvider();
    }
}

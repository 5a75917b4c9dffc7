using Microsoft.AspNetCore.Hosting;

namespace Sweep.Web.Tests.Telemetry;

/// <summary>The real app, with the operator gauges re-read every second (the least allowed) so that tests wait little.</summary>
public sealed class MetricsWebFactory : SweepWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:OperatorMetricsSeconds", "1");
    }
}

using Microsoft.AspNetCore.Hosting;
using Sweep.Testing;

namespace Sweep.Web.Tests.Webhooks;

/// <summary>
/// The web app with a delivery service that polls often and retries soon, so that a test sees an event within
/// a fraction of a second and a retry within one. <see cref="Over"/> starts one over an existing database (a
/// restart); the factory that made it disposes it.
/// </summary>
public sealed class WebhookWebFactory : SweepWebFactory
{
    private readonly TestDatabase? _existing;

    public WebhookWebFactory()
    {
    }

    private WebhookWebFactory(TestDatabase existing)
    {
        _existing = existing;
        UseDatabase(existing);
    }

    /// <summary>A second web process over the database of a first one (a restart).</summary>
    public static WebhookWebFactory Over(TestDatabase existing) => new(existing);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:PollMilliseconds", "50");
        builder.UseSetting("Webhooks:InitialBackoffMilliseconds", "300");
        builder.UseSetting("Webhooks:TimeoutSeconds", "2");
    }

    public bool SharesDatabase => _existing is not null;
}

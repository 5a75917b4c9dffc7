using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sweep.Testing;

// Hangfire keeps its storage in a process-wide static; factories over different databases must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Sweep.Client.Tests;

/// <summary>
/// The real Web app over a fresh, migrated database of the throwaway PostgreSQL (as Web.Tests' SweepWebFactory),
/// with a <see cref="SweepClient"/> that talks to it over its in-memory HTTP handler.
/// </summary>
public sealed class ClientFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public SweepClient Client => new(CreateClient());

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sweep", Database.ConnectionString);

        // Tests count sweeps: the published examples are loaded only where a test asks for them.
        builder.UseSetting("Examples:Folder", "");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Hosting;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Entities;
using Sweep.Testing;
using Sweep.Web.Access;

namespace Sweep.Client.Tests;

/// <summary>
/// The real Web app over a fresh, migrated database of the throwaway PostgreSQL (as Web.Tests' SweepWebFactory),
/// with a <see cref="SweepClient"/> that talks to it over its in-memory HTTP handler, signed with an administrator's
/// read-write access token (the first account, made through the app's own services).
/// </summary>
public sealed class ClientFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    private string? _token;

    public SweepClient Client => new(CreateClient());

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sweep", Database.ConnectionString);

        // Tests count sweeps: the published examples are loaded only where a test asks for them.
        builder.UseSetting("Examples:Folder", "");
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token ??= CreateAdminToken());
    }

    private string CreateAdminToken()
    {
        using var scope = Services.CreateScope();
        var (user, _) = scope.ServiceProvider.GetRequiredService<Accounts>().RegisterAdministratorAsync("admin@sweep.test", "Admin-password-1", CancellationToken.None).GetAwaiter().GetResult();
        var (token, _, _) = scope.ServiceProvider.GetRequiredService<AccessTokens>()
            .CreateAsync(user!.Id, "client tests", TokenScopes.ReadWrite, null, CancellationToken.None).GetAwaiter().GetResult();
        return token!;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }
}

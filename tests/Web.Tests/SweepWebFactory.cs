using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Entities;
using Sweep.Testing;
using Sweep.Web.Access;

// Hangfire keeps its storage in a process-wide static; factories over different databases must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Sweep.Web.Tests;

/// <summary>
/// The real Web app over a fresh, migrated database of the throwaway PostgreSQL. Clients from <see cref="CreateClient"/>
/// act as an administrator: they send a read-write personal access token created through the app's own services,
/// so API tests written before accounts keep working through the real token path. The security tests make their
/// own accounts and clients (<see cref="CreateAnonymousClient"/>).
/// </summary>
public class SweepWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@sweep.test";

    public const string AdminPassword = "Admin-password-1";

    private string? _adminToken;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Sign-in and token creation attempts allowed per window; high, so that only the rate-limit test meets the limit.</summary>
    protected virtual int RateLimit => 10_000;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    /// <summary>The administrator's read-write token; the first call creates the administrator (the first account).</summary>
    public string AdminToken => _adminToken ??= CreateAdminToken();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sweep", Database.ConnectionString);

        // Tests count sweeps: the published examples are loaded only where a test asks for them.
        builder.UseSetting("Examples:Folder", "");
        builder.UseSetting("RateLimits:PermitLimit", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>A client with cookies and no credential.</summary>
    public HttpClient CreateAnonymousClient(bool allowAutoRedirect = false)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = allowAutoRedirect });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer credential.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>An account made through the registration service, and a token of it with the given scope.</summary>
    public async Task<(Guid UserId, string Token)> CreateUserAsync(string email, string password, string scope = TokenScopes.ReadWrite, DateTimeOffset? expiresAt = null)
    {
        await using var scope_ = Services.CreateAsyncScope();
        var (user, errors) = await scope_.ServiceProvider.GetRequiredService<Accounts>().RegisterAsync(email, password, CancellationToken.None);
        Assert.True(user is not null, string.Join(" ", errors.Select(e => e.Description)));
        var (token, _, _) = await scope_.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(user!.Id, "test", scope, expiresAt, CancellationToken.None);
        return (user.Id, token!);
    }

    private string CreateAdminToken()
    {
        _ = Server; // the host, and with it the database schema, before the first account
        return CreateUserAsync(AdminEmail, AdminPassword).GetAwaiter().GetResult().Token;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }
}

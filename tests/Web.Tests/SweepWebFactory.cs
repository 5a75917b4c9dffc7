using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sweep.Data.Entities;
using Sweep.Testing;
using Sweep.Web.Access;

namespace Sweep.Web.Tests;

/// <summary>
/// The real Web app over a fresh, migrated database of the throwaway PostgreSQL. Clients from <see cref="CreateClient"/>
/// act as an administrator: they send a read-write personal access token created through the app's own services,
/// so API tests written before accounts keep working through the real token path, and the administrator's session
/// cookie, for pages (where bearer tokens do not authenticate). The administrator is made at start from
/// SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD, as a deployment makes it. Registration is open here (a deployment's
/// default is closed, which the registration tests use), and a new account has no project role: tests grant one with
/// <see cref="GrantAsync"/>, through the projects service. The security tests make their own accounts and clients
/// (<see cref="CreateAnonymousClient"/>).
/// </summary>
public class SweepWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@sweep.test";

    public const string AdminPassword = "Admin-password-1";

    private string? _adminToken;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Sign-in and token creation attempts allowed per window; high, so that only the rate-limit test meets the limit.</summary>
    protected virtual int RateLimit => 10_000;

    /// <summary>Sign-in attempts allowed per account and window.</summary>
    protected virtual int AccountRateLimit => RateLimit;

    /// <summary>Accounts:Registration; null leaves the app's default (closed).</summary>
    protected virtual string? Registration => AccountOptions.Open;

    /// <summary>False: no SWEEP_ADMIN_* settings, so the app starts with no account and prints a setup code.</summary>
    protected virtual bool ProvisionAdmin => true;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    /// <summary>Runs over a database another factory made (a restart); call instead of <see cref="InitializeAsync"/>.</summary>
    protected void UseDatabase(TestDatabase database) => Database = database;

    /// <summary>The administrator's read-write token; the first call creates the administrator (the first account).</summary>
    public string AdminToken => _adminToken ??= CreateAdminToken();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sweep", Database.ConnectionString);

        // Tests count sweeps: the published examples are loaded only where a test asks for them.
        builder.UseSetting("Examples:Folder", "");
        builder.UseSetting("RateLimits:PermitLimit", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:AccountPermitLimit", AccountRateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Registration is not null)
        {
            builder.UseSetting("Accounts:Registration", Registration);
        }

        if (ProvisionAdmin)
        {
            builder.UseSetting("SWEEP_ADMIN_EMAIL", AdminEmail);
            builder.UseSetting("SWEEP_ADMIN_PASSWORD", AdminPassword);
        }

        // Identity's default work factor (PBKDF2 over 100,000 rounds, some 50 ms of CPU a hash here) defends stored
        // passwords against offline guessing. These hosts make and sign in some 250 accounts, so they hash with fewer
        // rounds through the same code; the browser and system tiers run the real processes with the default.
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (!ProvisionAdmin)
        {
            return;
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);

        // Bearer tokens count under /api only; pages and /hangfire see the administrator's signed-in session.
        client.DefaultRequestHeaders.Add("Cookie", AdminSessionCookie);
    }

    private string? _adminSessionCookie;

    /// <summary>
    /// The administrator's session cookie ("name=value"), made as SignInManager makes it (the app's claims factory and
    /// cookie ticket protection), without the rate-limited sign-in form, which the rate-limit tests count.
    /// </summary>
    private string AdminSessionCookie => _adminSessionCookie ??= CreateAdminSessionCookie();

    private string CreateAdminSessionCookie()
    {
        _ = AdminToken;
        using var scope = Services.CreateScope();
        var services = scope.ServiceProvider;
        var admin = services.GetRequiredService<UserManager<SweepUser>>().FindByEmailAsync(AdminEmail).GetAwaiter().GetResult()!;
        var principal = services.GetRequiredService<IUserClaimsPrincipalFactory<SweepUser>>().CreateAsync(admin).GetAwaiter().GetResult();
        var cookie = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties(), IdentityConstants.ApplicationScheme);
        return $"{AccessHostingExtensions.SessionCookie}={cookie.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>A client with cookies and no credential.</summary>
    public HttpClient CreateAnonymousClient(bool allowAutoRedirect = false)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = allowAutoRedirect });
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.Remove("Cookie");
        return client;
    }

    /// <summary>
    /// A client signed in through the sign-in form, with its session cookie: pages, circuits and /hangfire know
    /// sessions only (bearer tokens authenticate under /api alone).
    /// </summary>
    public async Task<HttpClient> CreateSessionClientAsync(string email, string password)
    {
        var client = CreateAnonymousClient();
        using var response = await Security.Forms.SignInAsync(client, email, password);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect, $"sign-in as {email} → {(int)response.StatusCode}");
        return client;
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer credential.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// An account made through the registration service (open registration), and a token of it with the given scope.
    /// The account has no project role, as every new account; <paramref name="defaultRole"/> grants one in the default project.
    /// </summary>
    public async Task<(Guid UserId, string Token)> CreateUserAsync(
        string email, string password, string scope = TokenScopes.ReadWrite, DateTimeOffset? expiresAt = null, string? defaultRole = null)
    {
        _ = AdminToken; // the administrator first, as in a deployment
        await using var scope_ = Services.CreateAsyncScope();
        var (user, errors) = await scope_.ServiceProvider.GetRequiredService<Accounts>().RegisterAsync(email, password, code: null, CancellationToken.None);
        Assert.True(user is not null, string.Join(" ", errors.Select(e => e.Description)));
        if (defaultRole is not null)
        {
            await GrantAsync(email, defaultRole);
        }

        return (user!.Id, await CreateTokenAsync(user.Id, scope, expiresAt));
    }

    /// <summary>Gives the account a role in a project (default: the default project) as its owner would, through the projects service.</summary>
    public async Task GrantAsync(string email, string role, Guid? projectId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<Projects>().SetMemberAsync(projectId ?? ProjectRecord.DefaultId, email, role, CancellationToken.None);
        Assert.True(errors.Count == 0, string.Join(" ", errors.SelectMany(e => e.Value)));
    }

    public async Task<string> CreateTokenAsync(Guid userId, string scope = TokenScopes.ReadWrite, DateTimeOffset? expiresAt = null)
    {
        await using var scope_ = Services.CreateAsyncScope();
        var (token, _, errors) = await scope_.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(userId, "test", scope, expiresAt, CancellationToken.None);
        Assert.True(token is not null, string.Join(" ", errors.SelectMany(e => e.Value)));
        return token!;
    }

    private string CreateAdminToken()
    {
        _ = Server; // the host: the schema, and the administrator that AdminBootstrap makes from SWEEP_ADMIN_*
        Assert.True(ProvisionAdmin, "This factory starts without an administrator.");
        var adminId = Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE email = '{AdminEmail}'").GetAwaiter().GetResult();
        return CreateTokenAsync(adminId).GetAwaiter().GetResult();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }
}

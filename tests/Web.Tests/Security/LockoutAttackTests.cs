using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Each request comes from the client address in its X-Test-Client header, as if from another machine (TestServer has
/// none), so that the per-address and per-account limits can be told apart. High per-address limit, low per-account one.
/// </summary>
public sealed class AccountLimitedWebFactory : SweepWebFactory
{
    public const int AccountLimit = 3;

    public const string ClientHeader = "X-Test-Client";

    protected override int RateLimit => 1000;

    protected override int AccountRateLimit => AccountLimit;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddressFilter>());
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return following(context);
            });
            next(app);
        };
    }
}

/// <summary>Issue 13, item 6: failed sign-ins lock the password out, not the account's tokens.</summary>
[Collection(SharedHost.Attacks)]
public sealed class LockoutAttackTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Item6_Eleven_failed_sign_ins_do_not_disable_the_accounts_API_token()
    {
        var email = $"victim-{Guid.NewGuid():N}@team.test";
        var (userId, token) = await factory.CreateUserAsync(email, SecurityWorld.Password);
        using var api = factory.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/projects")).StatusCode);

        for (var i = 0; i < 11; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Forms.SignInAsync(factory.CreateAnonymousClient(), email, "Wrong-password-" + i)).StatusCode);
        }

        // The password is locked out (so the attack did lock the account) ...
        Assert.True(await factory.Database.ScalarAsync<bool>($"SELECT lockout_end > now() FROM users WHERE id = '{userId}'"));
        Assert.Equal(HttpStatusCode.OK, (await Forms.SignInAsync(factory.CreateAnonymousClient(), email, SecurityWorld.Password)).StatusCode);

        // ... and the token still works, for reads and writes.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tokens", System.Net.Http.Json.JsonContent.Create(new { name = "after-lockout" }))).StatusCode);

        // A deleted account's token is refused.
        Assert.Equal(1, await factory.Database.ScalarAsync<int>($"DELETE FROM users WHERE id = '{userId}' RETURNING 1"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/projects")).StatusCode);
    }
}

/// <summary>Issue 13, item 6: sign-in is limited per account across client addresses, and per client address.</summary>
public sealed class SignInAccountLimitAttackTests(AccountLimitedWebFactory factory) : IClassFixture<AccountLimitedWebFactory>
{
    [Fact]
    public async Task Item6_Sign_in_is_rate_limited_per_account_across_client_addresses()
    {
        var victim = $"victim-{Guid.NewGuid():N}@team.test";
        var bystander = $"bystander-{Guid.NewGuid():N}@team.test";
        await factory.CreateUserAsync(victim, SecurityWorld.Password);
        await factory.CreateUserAsync(bystander, SecurityWorld.Password);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= AccountLimitedWebFactory.AccountLimit; i++)
        {
            statuses.Add((await Forms.SignInAsync(From($"203.0.113.{i + 1}"), victim.ToUpperInvariant(), "Wrong-password-" + i)).StatusCode);
        }

        Assert.All(statuses.Take(AccountLimitedWebFactory.AccountLimit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // Even the right password waits, from yet another address ...
        var limited = await Forms.SignInAsync(From("198.51.100.7"), " " + victim + " ", SecurityWorld.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null, "no Retry-After");

        // ... while another account signs in from the attacker's own address.
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(From("203.0.113.4"), bystander, SecurityWorld.Password)).StatusCode);
    }

    private HttpClient From(string address)
    {
        var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(AccountLimitedWebFactory.ClientHeader, address);
        return client;
    }
}

using System.Net;
using System.Net.Http.Json;

namespace Sweep.Web.Tests.Security;

/// <summary>The app with a limit of 3 credential attempts per window, so that the tests meet it quickly.</summary>
public sealed class LimitedWebFactory : SweepWebFactory
{
    public const int Limit = 3;

    protected override int RateLimit => Limit;
}

/// <summary>Sign-in is rate-limited per client address, with a 429 ProblemDetails.</summary>
public sealed class SignInRateLimitTests(LimitedWebFactory factory) : IClassFixture<LimitedWebFactory>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429()
    {
        _ = factory.AdminToken;
        using var client = factory.CreateAnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= LimitedWebFactory.Limit; i++)
        {
            statuses.Add((await Forms.SignInAsync(client, SweepWebFactory.AdminEmail, "wrong-password-" + i)).StatusCode);
        }

        Assert.All(statuses.Take(LimitedWebFactory.Limit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        var limited = await Forms.SignInAsync(client, SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many attempts", await limited.Content.ReadAsStringAsync());
    }
}

/// <summary>Token creation is rate-limited too.</summary>
public sealed class TokenRateLimitTests(LimitedWebFactory factory) : IClassFixture<LimitedWebFactory>
{
    [Fact]
    public async Task Token_creation_beyond_the_limit_gets_429()
    {
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= LimitedWebFactory.Limit; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/tokens", new { name = "t" + i })).StatusCode);
        }

        Assert.All(statuses.Take(LimitedWebFactory.Limit), s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(LimitedWebFactory.Limit + 1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM access_tokens"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);
    }
}

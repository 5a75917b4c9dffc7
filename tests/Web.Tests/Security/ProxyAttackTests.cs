using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Testing;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Real processes on one database: <see cref="Trusted"/> behind a known proxy on 127.0.0.1 (no PublicUrl),
/// <see cref="Limited"/> the same with a low rate limit (so that its test cannot spend the others' budget), and
/// <see cref="Untrusted"/>, whose only known proxy is elsewhere, with a PublicUrl. The tests connect from 127.0.0.1
/// and send the forwarded headers a TLS-terminating proxy would.
/// </summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@proxy.test";

    public const string AdminPassword = "Proxy-password-1";

    public const int PermitLimit = 3;

    public const string PublicUrl = "https://sweep.example.org/team/";

    public TestDatabase Database { get; private set; } = null!;

    public WebProcess Trusted { get; private set; } = null!;

    public WebProcess Limited { get; private set; } = null!;

    public WebProcess Untrusted { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        try
        {
            Trusted = await WebProcess.StartAsync(Database.ConnectionString, Settings(new() { ["Proxy__KnownProxies__0"] = "127.0.0.1" }));
            Limited = await WebProcess.StartAsync(Database.ConnectionString, Settings(new()
            {
                ["Proxy__KnownProxies__0"] = "127.0.0.1",
                ["RateLimits__PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            Untrusted = await WebProcess.StartAsync(Database.ConnectionString, Settings(new()
            {
                ["Proxy__KnownProxies__0"] = "192.0.2.10",
                ["PublicUrl"] = PublicUrl,
            }));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private static Dictionary<string, string> Settings(Dictionary<string, string> settings)
    {
        settings["SWEEP_ADMIN_EMAIL"] = AdminEmail;
        settings["SWEEP_ADMIN_PASSWORD"] = AdminPassword;
        settings["Examples__Folder"] = "/nonexistent";
        return settings;
    }

    public async Task DisposeAsync()
    {
        if (Untrusted is not null)
        {
            await Untrusted.DisposeAsync();
        }

        if (Limited is not null)
        {
            await Limited.DisposeAsync();
        }

        if (Trusted is not null)
        {
            await Trusted.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>Issue 13, item 8: behind a TLS proxy, everything works.</summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class ProxyAttackTests(ProxyFixture proxy) : IClassFixture<ProxyFixture>
{
    /// <summary>What the proxy adds. Each test forwards its own client address.</summary>
    private static Action<HttpRequestMessage> Forwarded(string client, string? proto = null, string? host = null) => request =>
    {
        request.Headers.Add("X-Forwarded-For", client);
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        if (host is not null)
        {
            request.Headers.Add("X-Forwarded-Host", host);
        }
    };

    [Fact]
    public async Task Item8_Https_at_a_known_proxy_marks_the_antiforgery_and_session_cookies_secure()
    {
        using var client = proxy.Trusted.RawClient();
        var https = Forwarded("198.51.100.1", proto: "https");

        var (token, antiforgery) = await RawForms.LoginPageAsync(client, https);
        using var signedIn = await RawForms.SignInAsync(client, token, antiforgery, ProxyFixture.AdminEmail, ProxyFixture.AdminPassword, https);

        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.True(RawForms.IsSecure(antiforgery), antiforgery);
        var session = RawForms.SetCookie(signedIn, "sweep_session=");
        Assert.True(RawForms.IsSecure(session), session);

        // Plain HTTP stays usable (SameAsRequest): a cookie the browser would not send back over HTTP is not set there.
        var (_, plain) = await RawForms.LoginPageAsync(client, Forwarded("198.51.100.1", proto: "http"));
        Assert.False(RawForms.IsSecure(plain), plain);
    }

    [Fact]
    public async Task Item8_Forwarded_headers_count_only_from_a_known_proxy()
    {
        using var trusted = proxy.Trusted.RawClient();
        using var untrusted = proxy.Untrusted.RawClient();
        var https = Forwarded("198.51.100.2", proto: "https");

        var (_, fromKnownProxy) = await RawForms.LoginPageAsync(trusted, https);
        var (_, fromUnknownProxy) = await RawForms.LoginPageAsync(untrusted, https);

        Assert.True(RawForms.IsSecure(fromKnownProxy), fromKnownProxy);
        Assert.False(RawForms.IsSecure(fromUnknownProxy), fromUnknownProxy);
    }

    [Fact]
    public async Task Item8_Share_links_are_built_from_the_public_url_not_the_request()
    {
        using var client = proxy.Untrusted.RawClient();
        var forged = Forwarded("198.51.100.3", proto: "http", host: "evil.example");

        var link = await CreateShareLinkAsync(client, forged);

        Assert.Equal(ProxyFixture.PublicUrl + "s/" + link.Token, link.Url);
    }

    [Fact]
    public async Task Item8_Without_a_public_url_share_links_use_the_scheme_and_host_the_known_proxy_forwarded()
    {
        using var client = proxy.Trusted.RawClient();

        var link = await CreateShareLinkAsync(client, Forwarded("198.51.100.4", proto: "https", host: "sweep.proxy.test"));

        Assert.Equal("https://sweep.proxy.test/s/" + link.Token, link.Url);
    }

    [Fact]
    public async Task Item8_Rate_limits_count_per_forwarded_client_not_per_proxy()
    {
        using var client = proxy.Limited.RawClient();

        async Task<HttpStatusCode> WrongSignInAsync(string from, int attempt)
        {
            var headers = Forwarded(from);
            var (token, antiforgery) = await RawForms.LoginPageAsync(client, headers);
            using var response = await RawForms.SignInAsync(client, token, antiforgery, $"nobody-{from}@proxy.test", "wrong-password-" + attempt, headers);
            return response.StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i <= ProxyFixture.PermitLimit; i++)
        {
            first.Add(await WrongSignInAsync("203.0.113.7", i));
        }

        Assert.All(first.Take(ProxyFixture.PermitLimit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);

        // Another client behind the same proxy has its own budget.
        Assert.Equal(HttpStatusCode.OK, await WrongSignInAsync("203.0.113.8", 0));
    }

    [Theory]
    [InlineData("Proxy__KnownNetworks__0", "10.0.0.0/33", "is not a network in CIDR notation")]
    [InlineData("Proxy__KnownProxies__0", "proxy.example", "is not an IP address")]
    [InlineData("PublicUrl", "sweep.example.org", "is not an absolute http(s) URL")]
    public async Task Item8_A_malformed_proxy_or_public_url_setting_stops_the_start(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var web = await WebProcess.StartAsync(proxy.Database.ConnectionString, new Dictionary<string, string>
            {
                [key] = value,
                ["Examples__Folder"] = "/nonexistent",
            });
        });

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    private static async Task<(string Token, string Url)> CreateShareLinkAsync(HttpClient client, Action<HttpRequestMessage> forwarded)
    {
        var session = await RawForms.SessionAsync(client, ProxyFixture.AdminEmail, ProxyFixture.AdminPassword, forwarded);
        var token = await RawForms.CreateTokenAsync(client, session, forwarded);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var sweep = await SecurityWorld.CreateSweepAsync(client, "shared-" + Guid.NewGuid().ToString("N")[..8], null);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sweeps/{sweep}/share-links") { Content = JsonContent.Create(new { }) };
        forwarded(request);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("token").GetString()!, body.GetProperty("url").GetString()!);
    }
}

using System.Net;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>Forms carry an antiforgery token; a post without it changes nothing.</summary>
[Collection(SharedHost.Attacks)]
public sealed class CsrfTests(SweepWebFactory factory)
{
    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_rejected_and_with_it_succeeds()
    {
        _ = factory.AdminToken;
        using var forged = factory.CreateAnonymousClient();
        var rejected = await Forms.SignInAsync(forged, SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword, withAntiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.DoesNotContain(rejected.Headers.TryGetValues("Set-Cookie", out var c1) ? c1 : [], c => c.StartsWith("sweep_session=", StringComparison.Ordinal));

        using var browser = factory.CreateAnonymousClient();
        var signedIn = await Forms.SignInAsync(browser, SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sweep_session=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);

        // Signed in, a token-creating post without the token still fails, and creates no token.
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM access_tokens");
        var forgedToken = await Forms.PostAsync(browser, "/account", "create-token",
            new Dictionary<string, string> { ["Input.Name"] = "forged", ["Input.Scope"] = "read-write" }, withAntiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, forgedToken.StatusCode);
        Assert.Equal(before, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM access_tokens"));

        var logout = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_to_sign_in_and_the_hangfire_dashboard_is_for_administrators_only()
    {
        _ = factory.AdminToken;
        using var anonymous = factory.CreateAnonymousClient();
        var home = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location!.PathAndQuery);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/hangfire")).StatusCode);

        var (_, userToken) = await factory.CreateUserAsync($"u-{Guid.NewGuid():N}@team.test", SecurityWorld.Password);
        Assert.NotEqual(HttpStatusCode.OK, (await factory.CreateClient(userToken).GetAsync("/hangfire")).StatusCode);
        using var admin = await factory.CreateSessionClientAsync(SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
    }
}

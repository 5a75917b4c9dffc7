using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// Issue 13, item 10: an API write that rides on the session cookie must come from Sweep's own pages
/// (Sec-Fetch-Site: same-origin) or carry X-Sweep-Request; a cross-site form post is refused. Tokens are unaffected.
/// </summary>
[Collection(SharedHost.Attacks)]
public sealed class CrossSiteWriteAttackTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Item10_An_empty_cross_site_form_post_to_cancel_with_the_session_cookie_is_refused()
    {
        var sweep = await SecurityWorld.CreateSweepAsync(factory.CreateClient(), $"csrf-{Guid.NewGuid():N}", project: null);
        using var browser = await SignedInBrowserAsync();

        // What a page on another site can make a browser send: an empty form, the cookie, and the browser's own headers.
        foreach (var site in new[] { "cross-site", "same-site", null })
        {
            using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sweeps/{sweep}/cancel")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>()),
            };
            if (site is not null)
            {
                forged.Headers.Add("Sec-Fetch-Site", site);
                forged.Headers.Add("Origin", "https://attacker.example");
            }

            using var refused = await browser.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Cross-site request refused.", problem.GetProperty("title").GetString());
            Assert.Contains("X-Sweep-Request", problem.GetProperty("detail").GetString());
            Assert.Equal("active", await StateAsync(sweep));
        }

        // The same session, from Sweep's own page or a client that says so, still acts.
        using var ownPage = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sweeps/{sweep}/pause");
        ownPage.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(ownPage)).StatusCode);
        using var script = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sweeps/{sweep}/cancel");
        script.Headers.Add("X-Sweep-Request", "1");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(script)).StatusCode);
        Assert.Equal("cancelled", await StateAsync(sweep));

        // Reads need no header.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/v1/sweeps/{sweep}")).StatusCode);
    }

    [Fact]
    public async Task Item10_Bearer_token_writes_are_not_checked_for_their_origin()
    {
        using var client = factory.CreateClient();
        var sweep = await SecurityWorld.CreateSweepAsync(client, $"token-{Guid.NewGuid():N}", project: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sweeps/{sweep}/cancel");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(request)).StatusCode);
        Assert.Equal("cancelled", await StateAsync(sweep));
    }

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        _ = factory.AdminToken;
        var browser = factory.CreateAnonymousClient();
        var signedIn = await Forms.SignInAsync(browser, SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    private Task<string> StateAsync(Guid sweep) =>
        factory.Database.ScalarAsync<string>($"SELECT state FROM sweeps WHERE id = '{sweep}'");
}

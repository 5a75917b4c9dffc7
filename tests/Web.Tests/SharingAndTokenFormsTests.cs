using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// Issue 14, items 8 and 12: share links carry a name, new secrets come with a Copy button, revoking asks first
/// (on the static pages, without a circuit), sweeps remember who made them, and Hangfire names trial jobs.
/// </summary>
[Collection(SharedHost.Pages)]
public sealed partial class SharingAndTokenFormsTests(SweepWebFactory factory)
{
    private async Task<Guid> CreateSweepAsync(string name)
    {
        var body = $$$"""{"name":"{{{name}}}","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":[1]}}""";
        using var response = await factory.CreateClient().PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<HttpClient> SignedInAdminAsync()
    {
        _ = factory.AdminToken;
        var browser = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(browser, SweepWebFactory.AdminEmail, SweepWebFactory.AdminPassword)).StatusCode);
        return browser;
    }

    [Fact]
    public async Task A_share_link_is_named_copied_and_revoked_only_after_a_second_click()
    {
        var sweep = await CreateSweepAsync("share-names");
        using var browser = await SignedInAdminAsync();
        var page = $"/sweeps/{sweep}/share";

        var created = await (await Forms.PostAsync(browser, page, "create-share-link", new Dictionary<string, string> { ["Input.Name"] = "  reviewers  " })).Content.ReadAsStringAsync();
        Assert.Contains("id=\"new-share-link-copy\"", created);
        Assert.Contains("data-copy=\"new-share-link\"", created);
        Assert.Contains("<td>reviewers</td>", created);
        Assert.Equal("reviewers", await factory.Database.ScalarAsync<string>($"SELECT name FROM share_links WHERE sweep_id = '{sweep}'"));
        var listed = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/share-links");
        Assert.Equal("reviewers", listed[0].GetProperty("name").GetString());

        // Too long a name is a field error, and nothing is stored.
        var tooLong = await (await Forms.PostAsync(browser, page, "create-share-link", new Dictionary<string, string> { ["Input.Name"] = new string('x', 101) })).Content.ReadAsStringAsync();
        Assert.Contains("at most 100 characters", tooLong);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM share_links WHERE sweep_id = '{sweep}'"));

        var linkId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM share_links WHERE sweep_id = '{sweep}'");
        var asked = await (await Forms.PostAsync(browser, page, "revoke-share-link", new Dictionary<string, string> { ["AskRevokeId"] = linkId.ToString() })).Content.ReadAsStringAsync();
        Assert.Contains("id=\"confirm-revoke\"", asked);
        Assert.Contains("Revoke the link <strong>reviewers</strong>", asked);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM share_links WHERE id = '{linkId}' AND revoked_at IS NOT NULL"));

        var revoked = await (await Forms.PostAsync(browser, page, "revoke-share-link", new Dictionary<string, string> { ["RevokeId"] = linkId.ToString() })).Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"confirm-revoke\"", revoked);
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM share_links WHERE id = '{linkId}' AND revoked_at IS NOT NULL"));
    }

    [Fact]
    public async Task The_API_names_share_links_and_refuses_a_name_too_long()
    {
        var sweep = await CreateSweepAsync("share-api-names");
        var api = factory.CreateClient();
        using var named = await api.PostAsJsonAsync($"/api/v1/sweeps/{sweep}/share-links", new { name = "lab meeting" });
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        Assert.Equal("lab meeting", (await named.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details").GetProperty("name").GetString());

        using var tooLong = await api.PostAsJsonAsync($"/api/v1/sweeps/{sweep}/share-links", new { name = new string('y', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task A_new_token_has_a_copy_button_the_form_clears_and_revoking_asks_first()
    {
        using var browser = await SignedInAdminAsync();
        var name = $"ci-{Guid.NewGuid():N}"[..12];
        var created = await (await Forms.PostAsync(browser, "/account", "create-token",
            new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Scope"] = "read" })).Content.ReadAsStringAsync();
        Assert.Contains("id=\"new-token-copy\"", created);
        Assert.DoesNotContain($"value=\"{name}\"", created); // the form is cleared after success
        var tokenId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM access_tokens WHERE name = '{name}'");

        var asked = await (await Forms.PostAsync(browser, "/account", "revoke-token", new Dictionary<string, string> { ["AskRevokeId"] = tokenId.ToString() })).Content.ReadAsStringAsync();
        Assert.Contains("id=\"confirm-revoke\"", asked);
        Assert.Contains($"<strong>{name}</strong>", asked);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM access_tokens WHERE id = '{tokenId}' AND revoked_at IS NOT NULL"));

        await Forms.PostAsync(browser, "/account", "revoke-token", new Dictionary<string, string> { ["RevokeId"] = tokenId.ToString() });
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM access_tokens WHERE id = '{tokenId}' AND revoked_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_sweep_remembers_its_creator_and_Hangfire_names_its_jobs_by_cell_and_sweep()
    {
        var sweep = await CreateSweepAsync("named-jobs");
        var adminId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE normalized_email = '{SweepWebFactory.AdminEmail.ToUpperInvariant()}'");
        Assert.Equal(adminId, await factory.Database.ScalarAsync<Guid>($"SELECT created_by FROM sweeps WHERE id = '{sweep}'"));

        var trial = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM trials WHERE sweep_id = '{sweep}'");
        var job = await factory.Database.ScalarAsync<long>($"SELECT id FROM hangfire.job WHERE arguments::text LIKE '%{trial}%'");
        var html = WebUtility.HtmlDecode(await factory.CreateClient().GetStringAsync($"/hangfire/jobs/details/{job}"));
        Assert.Contains("Trial B=128 G=128 ×1 seed 1 · sweep 'named-jobs'", html);
        Assert.DoesNotMatch(JobTypeTitle(), html);
    }

    [GeneratedRegex(@"<h1[^>]*>\s*ITrialRunner\.RunAsync")]
    private static partial Regex JobTypeTitle();
}

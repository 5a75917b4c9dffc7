using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>
/// A share link opens its sweep's trial pages, signed out, under its own path (/s/{token}/trials/{id}): read-only, and
/// only while the link is valid and only for a trial of its own sweep; everything else answers 404.
/// </summary>
[Collection(SharedHost.Access)]
public sealed class ShareTrialPageTests(SweepWebFactory factory)
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task A_signed_out_visitor_opens_a_shared_sweeps_trial_read_only_under_the_links_path()
    {
        var (sweep, trials) = await CreateSweepAsync("shared-trial");
        var (token, _) = await ShareAsync(sweep);
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at) VALUES ('{trials[0]}', 2, 936, '\\x0102'::bytea, now()) RETURNING 1");
        using var visitor = factory.CreateAnonymousClient();

        var response = await visitor.GetAsync($"/s/{token}/trials/{trials[0]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // not a redirect to the sign-in page
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"shared-notice\"", html);
        Assert.Contains("Trial B=128 G=128", html);
        Assert.Contains($"href=\"s/{token}\"", html); // back to the shared sweep, not to /sweeps/{id}
        Assert.DoesNotContain($"href=\"sweeps/{sweep}\"", html);

        // Nothing an editor does: no cancel, retry, clone, nor the checkpoint's weights; the checkpoint is still said.
        Assert.DoesNotContain("id=\"cancel-trial\"", html);
        Assert.DoesNotContain("id=\"retry-trial\"", html);
        Assert.DoesNotContain("id=\"clone-sweep\"", html);
        Assert.DoesNotContain("id=\"download-checkpoint\"", html);
        Assert.Contains("Checkpoint saved at epoch 2.", html);
    }

    [Fact]
    public async Task The_shared_sweep_page_links_its_trials_under_the_links_path_and_offers_no_clone()
    {
        var (sweep, trials) = await CreateSweepAsync("shared-links");
        var (token, _) = await ShareAsync(sweep);
        using var visitor = factory.CreateAnonymousClient();

        var html = await visitor.GetStringAsync($"/s/{token}");

        Assert.All(trials, t => Assert.Contains($"href=\"s/{token}/trials/{t}\"", html));
        Assert.DoesNotContain($"href=\"trials/{trials[0]}\"", html);
        Assert.DoesNotContain("id=\"clone-sweep\"", html);

        // Signed in, the sweep's own page still offers Clone and links the trials' own pages.
        var own = await _admin.GetStringAsync($"/sweeps/{sweep}");
        Assert.Contains("id=\"clone-sweep\"", own);
        Assert.Contains($"href=\"trials/{trials[0]}\"", own);
    }

    [Fact]
    public async Task A_wrong_or_revoked_link_or_a_trial_of_another_sweep_is_not_found()
    {
        var (sweep, trials) = await CreateSweepAsync("shared-guarded");
        var (_, otherTrials) = await CreateSweepAsync("not-shared");
        var (token, linkId) = await ShareAsync(sweep);

        async Task<HttpStatusCode> StatusAsync(string path)
        {
            using var visitor = factory.CreateAnonymousClient();
            using var response = await visitor.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.DoesNotContain("Trial B=", html);
            }

            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync($"/s/{token}/trials/{trials[1]}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/s/{token}/trials/{otherTrials[0]}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/s/{token}/trials/{Guid.NewGuid()}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/s/{token}x/trials/{trials[1]}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/s/not-a-link/trials/{trials[1]}"));

        // The trial's own page stays closed to a signed-out visitor.
        using (var visitor = factory.CreateAnonymousClient())
        {
            using var own = await visitor.GetAsync($"/trials/{trials[1]}");
            Assert.DoesNotContain("Trial B=", await own.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/sweeps/{sweep}/share-links/{linkId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/s/{token}/trials/{trials[1]}"));

        var (expiring, _) = await ShareAsync(sweep, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync($"/s/{expiring}/trials/{trials[1]}"));
        await factory.Database.ScalarAsync<object>($"UPDATE share_links SET expires_at = now() - interval '1 second' WHERE sweep_id = '{sweep}' AND expires_at IS NOT NULL RETURNING 1");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"/s/{expiring}/trials/{trials[1]}"));
    }

    private async Task<(Guid Sweep, List<Guid> Trials)> CreateSweepAsync(string name)
    {
        var body = $$$"""
            {"name":"{{{name}}}-{{{Guid.NewGuid():N}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":4,"lrDropEpochs":[],"seeds":[1]}}
            """;
        var response = await _admin.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        return (id, sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
    }

    private async Task<(string Token, Guid Id)> ShareAsync(Guid sweep, DateTimeOffset? expiresAt = null)
    {
        var response = await _admin.PostAsJsonAsync($"/api/v1/sweeps/{sweep}/share-links", new { expiresAt });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("token").GetString()!, body.GetProperty("details").GetProperty("id").GetGuid());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>A share link reads its sweep (page and read endpoints) and nothing else: no control, no lists, no other sweep.</summary>
[Collection(SharedHost.Access)]
public sealed class ShareLinkTests(SweepWebFactory factory)
{
    private static async Task<(string Token, Guid Id)> ShareAsync(HttpClient editor, Guid sweep, DateTimeOffset? expiresAt = null)
    {
        var response = await editor.PostAsJsonAsync($"/api/v1/sweeps/{sweep}/share-links", new { expiresAt });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        Assert.EndsWith("/s/" + token, body.GetProperty("url").GetString());
        return (token, body.GetProperty("details").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_share_link_reads_its_sweep_but_cannot_start_cancel_or_list_anything()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        var (token, _) = await ShareAsync(editor, world.SweepB);
        var other = await SecurityWorld.CreateSweepAsync(editor, "not-shared", world.SlugB);
        using var link = factory.CreateClient(token);

        foreach (var path in new[]
        {
            $"/api/v1/sweeps/{world.SweepB}", $"/api/v1/sweeps/{world.SweepB}/heatmap", $"/api/v1/sweeps/{world.SweepB}/curves",
            $"/api/v1/sweeps/{world.SweepB}/trials", $"/api/v1/sweeps/{world.SweepB}/export/trials.csv", $"/api/v1/trials/{world.TrialB}",
        })
        {
            Assert.True((await link.GetAsync(path)).StatusCode == HttpStatusCode.OK, path);
        }

        foreach (var path in new[] { "/api/v1/sweeps", "/api/v1/projects", "/api/v1/workers", "/api/v1/tokens" })
        {
            Assert.True((await link.GetAsync(path)).StatusCode == HttpStatusCode.Forbidden, path);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await link.GetAsync($"/api/v1/sweeps/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await link.GetAsync($"/api/v1/sweeps/{other}/export/trials.csv")).StatusCode);

        foreach (var path in new[]
        {
            $"/api/v1/sweeps/{world.SweepB}/cancel", $"/api/v1/sweeps/{world.SweepB}/pause", $"/api/v1/sweeps/{world.SweepB}/resume",
            $"/api/v1/sweeps/{world.SweepB}/retry-failed", $"/api/v1/trials/{world.TrialB}/cancel", $"/api/v1/sweeps/{world.SweepB}/share-links",
        })
        {
            Assert.True((await link.PostAsync(path, null)).StatusCode == HttpStatusCode.Forbidden, path);
        }

        var start = await link.PostAsync("/api/v1/sweeps", new StringContent(
            """{"name":"via-link","grid":{"batchSize":[128],"ghostBatchSize":[128]}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sweeps WHERE name = 'via-link'"));
        Assert.Equal("active", (await editor.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{world.SweepB}")).GetProperty("state").GetString());

        // Signed-in pages stay closed to a share link.
        Assert.NotEqual(HttpStatusCode.OK, (await link.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_shared_page_opens_without_an_account_and_its_cookie_reaches_only_that_sweeps_api()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        var (token, linkId) = await ShareAsync(editor, world.SweepB);

        using var visitor = factory.CreateAnonymousClient();
        var page = await visitor.GetAsync($"/s/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(world.SweepBName, await page.Content.ReadAsStringAsync());
        var cookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sweep_share=", StringComparison.Ordinal));
        Assert.Contains($"path=/api/v1/sweeps/{world.SweepB}", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        // The cookie jar sends it to the sweep's own export, not to lists.
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/v1/sweeps/{world.SweepB}/export/trials.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await visitor.GetAsync("/api/v1/sweeps")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync($"/api/v1/sweeps/{world.SweepB}/share-links/{linkId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateAnonymousClient().GetAsync($"/s/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient(token).GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);

        var (expiring, expiringId) = await ShareAsync(editor, world.SweepB, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateAnonymousClient().GetAsync($"/s/{expiring}")).StatusCode);
        await factory.Database.ScalarAsync<object>($"UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = '{expiringId}' RETURNING 1");
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateAnonymousClient().GetAsync($"/s/{expiring}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient(expiring).GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);
    }
}

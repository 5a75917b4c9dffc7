using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Security;

/// <summary>Personal access tokens through the real bearer path: 401 for missing, unknown, revoked and expired; 403 for a read-only write.</summary>
[Collection(SharedHost.Access)]
public sealed class TokenTests(SweepWebFactory factory)
{
    [Fact]
    public async Task Missing_unknown_revoked_and_expired_tokens_get_401_problem_details()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = factory.CreateClient(world.OwnerB);
        var created = await owner.PostAsJsonAsync("/api/v1/tokens", new { name = "ci", scope = TokenScopes.ReadWrite });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        var tokenId = body.GetProperty("details").GetProperty("id").GetGuid();

        using var withToken = factory.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await withToken.GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);
        Assert.NotNull(await factory.Database.ScalarAsync<DateTime?>($"SELECT last_used_at FROM access_tokens WHERE id = '{tokenId}'"));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/tokens/{tokenId}")).StatusCode);
        await AssertUnauthorizedAsync(withToken, world.SweepB);

        var (_, expiring) = await factory.CreateUserAsync($"exp-{Guid.NewGuid():N}@team.test", SecurityWorld.Password, TokenScopes.ReadWrite, DateTimeOffset.UtcNow.AddHours(1));
        using var expiringClient = factory.CreateClient(expiring);
        Assert.Equal(HttpStatusCode.OK, (await expiringClient.GetAsync("/api/v1/sweeps")).StatusCode);
        await ExecuteAsync($"UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = '{Sha256(expiring)}'");
        await AssertUnauthorizedAsync(expiringClient, world.SweepB);

        using var unknown = factory.CreateClient("swp_" + new string('x', 43));
        await AssertUnauthorizedAsync(unknown, world.SweepB);
        using var anonymous = factory.CreateAnonymousClient();
        await AssertUnauthorizedAsync(anonymous, world.SweepB);
    }

    [Fact]
    public async Task A_read_only_token_reads_and_gets_403_on_every_write()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        var (_, readOnly) = await factory.CreateUserAsync($"ro-{Guid.NewGuid():N}@team.test", SecurityWorld.Password, TokenScopes.Read);
        using var client = factory.CreateClient(readOnly);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/sweeps")).StatusCode);

        var own = await client.PostAsync("/api/v1/sweeps", new StringContent(
            """{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal("application/problem+json", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/tokens", new { name = "more", scope = TokenScopes.ReadWrite })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/projects", new { name = "p" })).StatusCode);

        // Even an administrator's read-only token stays read-only.
        await using var scope = factory.Services.CreateAsyncScope();
        var adminId = await factory.Database.ScalarAsync<Guid>($"SELECT id FROM users WHERE email = '{SweepWebFactory.AdminEmail}'");
        var (adminRead, _, _) = await scope.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(adminId, "ro", TokenScopes.Read, null, CancellationToken.None);
        using var admin = factory.CreateClient(adminRead!);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync($"/api/v1/sweeps/{world.SweepB}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/sweeps/{world.SweepB}")).StatusCode);
    }

    [Fact]
    public async Task Tokens_are_shown_once_and_stored_only_as_their_hash()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var owner = factory.CreateClient(world.OwnerA);
        var created = await (await owner.PostAsJsonAsync("/api/v1/tokens", new { name = "once" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith("swp_", token);
        Assert.True(token.Length >= 4 + 43, "256 random bits in base64url");
        Assert.DoesNotContain(token, await owner.GetStringAsync("/api/v1/tokens"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM access_tokens WHERE token_hash = '{Sha256(token)}'"));
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM access_tokens t WHERE t::text LIKE '%{token[4..]}%'"));
        Assert.Equal("read", created.GetProperty("details").GetProperty("scope").GetString());
    }

    private static async Task AssertUnauthorizedAsync(HttpClient client, Guid sweep)
    {
        foreach (var path in new[] { "/api/v1/sweeps", $"/api/v1/sweeps/{sweep}", "/api/v1/projects" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var write = await client.PostAsync($"/api/v1/sweeps/{sweep}/pause", null);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    private Task<object> ExecuteAsync(string sql) => factory.Database.ScalarAsync<object>(sql + " RETURNING 1");

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>Idempotency-Key on POST /api/v1/sweeps: a retry, even a racing one, never creates a second sweep.</summary>
[Collection(SharedHost.Api)]
public sealed class SweepsApiIdempotencyTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Body(string name, string batchSizes = "[128, 256]") =>
        $$$"""{"name":"{{{name}}}","grid":{"batchSize":{{{batchSizes}}},"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[]}}""";

    private async Task<HttpResponseMessage> PostAsync(string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sweeps") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _client.SendAsync(request);
    }

    private static async Task<Guid> IdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    private Task<long> CountAsync(string sql) => factory.Database.ScalarAsync<long>(sql);

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_response_and_creates_nothing()
    {
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(Body("idem-retry"), key);
        var second = await PostAsync(Body("idem-retry"), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        var id = await IdAsync(first);
        Assert.Equal(id, await IdAsync(second));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-retry'"));
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM trials WHERE sweep_id = '{id}'"));

        // Each trial is enqueued once: the replay enqueued nothing.
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM hangfire.job j, trials t WHERE t.sweep_id = '{id}' AND j.arguments::text LIKE '%' || t.id || '%'"));
    }

    [Fact]
    public async Task The_same_request_spelled_differently_is_still_the_same_request()
    {
        var key = Guid.NewGuid().ToString();
        var compact = Body("idem-spelling");
        var spaced = compact.Replace(",", ",\n  ", StringComparison.Ordinal).Replace(":", ": ", StringComparison.Ordinal);

        var first = await PostAsync(compact, key);
        var second = await PostAsync(spaced, key);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await IdAsync(first), await IdAsync(second));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-spelling'"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_and_creates_nothing()
    {
        var key = Guid.NewGuid().ToString();
        await PostAsync(Body("idem-conflict"), key);

        var other = await PostAsync(Body("idem-conflict", batchSizes: "[512]"), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Contains(key, (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-conflict'"));
    }

    [Fact]
    public async Task Racing_requests_with_one_key_create_one_sweep()
    {
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostAsync(Body("idem-race"), key))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(IdAsync));
        Assert.Single(ids.Distinct());
        Assert.Equal(7, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-race'"));
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM trials WHERE sweep_id = '{ids[0]}'"));
    }

    [Fact]
    public async Task A_key_expires_after_24_hours()
    {
        var key = Guid.NewGuid().ToString();
        var first = await IdAsync(await PostAsync(Body("idem-expiry"), key));
        await CountAsync($"UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = '{key}' RETURNING 1::bigint");

        var again = await PostAsync(Body("idem-expiry"), key);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first, await IdAsync(again));
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-expiry'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM idempotency_keys WHERE key = '{key}'"));
    }

    [Fact]
    public async Task Requests_without_a_key_are_not_deduplicated()
    {
        await PostAsync(Body("idem-none"), null);
        await PostAsync(Body("idem-none"), null);

        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-none'"));
    }

    [Fact]
    public async Task A_refused_request_keeps_its_key_unused()
    {
        var key = Guid.NewGuid().ToString();
        var invalid = await PostAsync(Body("idem-invalid", batchSizes: "[]"), key);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM idempotency_keys WHERE key = '{key}'"));

        var fixedUp = await PostAsync(Body("idem-invalid"), key);

        Assert.Equal(HttpStatusCode.Created, fixedUp.StatusCode);
        Assert.False(fixedUp.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("with space")]
    public async Task An_unusable_key_is_a_field_error(string key)
    {
        var name = $"idem-bad-key-{key.Length}";
        var response = await PostAsync(Body(name), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM sweeps WHERE name = '{name}'"));
    }

    [Fact]
    public async Task A_too_long_key_is_a_field_error()
    {
        var response = await PostAsync(Body("idem-long-key"), new string('k', 201));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM sweeps WHERE name = 'idem-long-key'"));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_header()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var parameters = document.GetProperty("paths").GetProperty("/api/v1/sweeps").GetProperty("post").GetProperty("parameters");
        var header = Assert.Single(parameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.Contains("24 hours", header.GetProperty("description").GetString());
    }
}

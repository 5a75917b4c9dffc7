using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>The control and list endpoints, with no worker running: states change only by these calls.</summary>
[Collection(SharedHost.Api)]
public sealed class ControlApiTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<Guid> CreateAsync(string name, string seeds = "[1]")
    {
        var body = $$$"""
            {"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":{{{seeds}}}}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<List<string>> StatesAsync(Guid id) =>
        (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}")).GetProperty("trials").EnumerateArray()
            .Select(t => t.GetProperty("state").GetString()!).ToList();

    [Fact]
    public async Task Pause_resume_and_cancel_move_the_sweep_and_its_trials_through_their_states()
    {
        var id = await CreateAsync("control");

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/sweeps/{id}/pause", null)).StatusCode);
        Assert.Equal("paused", (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/sweeps/{id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/sweeps/{id}/cancel", null)).StatusCode);
        Assert.All(await StatesAsync(id), s => Assert.Equal("cancelled", s));

        var again = await _client.PostAsync($"/api/v1/sweeps/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsync($"/api/v1/sweeps/{id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/api/v1/sweeps/{Guid.NewGuid()}/pause", null)).StatusCode);
    }

    [Fact]
    public async Task A_cancelled_trial_can_be_retried_and_reprioritized()
    {
        var id = await CreateAsync("retry");
        var trialId = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}")).GetProperty("trials")[0].GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsync($"/api/v1/trials/{trialId}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/trials/{trialId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/trials/{trialId}/retry?fresh=true", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsJsonAsync($"/api/v1/trials/{trialId}/priority", new { priority = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PutAsJsonAsync($"/api/v1/trials/{trialId}/priority", new { priority = 7 })).StatusCode);

        var trial = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trialId}");
        Assert.Equal("queued", trial.GetProperty("trial").GetProperty("state").GetString());
        Assert.Equal(1, trial.GetProperty("trial").GetProperty("priority").GetInt32());
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM hangfire.jobqueue q JOIN hangfire.job j ON j.id = q.jobid WHERE j.arguments::text LIKE '%{trialId}%' AND q.queue = 'default_high'"));
    }

    [Fact]
    public async Task Extending_a_sweep_creates_only_the_missing_cells()
    {
        var id = await CreateAsync("extend");

        var response = await _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { batchSize = new[] { 256, 512 }, seeds = new[] { 2 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(6 - 2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
        Assert.Equal(6, (await StatesAsync(id)).Count);
        var again = await _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { seeds = new[] { 2 } });
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
    }

    [Fact]
    public async Task Trial_lists_filter_by_grid_values_and_page_with_cursors()
    {
        var id = await CreateAsync("paging", seeds: "[1, 2, 3]");

        var first = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}/trials?limit=4");
        Assert.Equal(4, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}/trials?limit=4&cursor={cursor}");
        Assert.Equal(2, second.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var filtered = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}/trials?batchSize=256&seed=2");
        var only = Assert.Single(filtered.GetProperty("items").EnumerateArray());
        Assert.Equal(256, only.GetProperty("batchSize").GetInt32());

        var bad = await _client.GetAsync($"/api/v1/sweeps/{id}/trials?state=exploded&cursor=%%%");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Metric_history_and_workers_are_listed()
    {
        var id = await CreateAsync("metrics");
        var trialId = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}")).GetProperty("trials")[0].GetProperty("id").GetGuid();
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trialId}', 'valLoss', s, s, CASE WHEN s = 2 THEN 'NaN'::float8 ELSE s END, now() FROM generate_series(0, 4) s RETURNING 1");

        var page = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trialId}/metrics?key=valLoss&limit=3");
        Assert.Equal([0L, 1, 2], page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal("NaN", page.GetProperty("items")[2].GetProperty("value").GetString());
        var rest = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{trialId}/metrics?key=valLoss&cursor={page.GetProperty("nextCursor").GetString()}");
        Assert.Equal([3L, 4], rest.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));

        var workers = await _client.GetFromJsonAsync<JsonElement>("/api/v1/workers");
        Assert.Equal(JsonValueKind.Array, workers.GetProperty("items").ValueKind);
    }
}

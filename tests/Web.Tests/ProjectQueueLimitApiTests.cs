using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Sweep.Web.Tests;

/// <summary>A Web app whose projects may hold 10 queued trials (Api:MaxQueuedTrialsPerProject).</summary>
public sealed class SmallQueueWebFactory : SweepWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Api:MaxQueuedTrialsPerProject", "10");
    }
}

/// <summary>Issue 15, failure 6: a per-project limit on queued trials, for new sweeps and extensions alike.</summary>
public sealed class ProjectQueueLimitApiTests(SmallQueueWebFactory factory) : IClassFixture<SmallQueueWebFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Creating_or_extending_past_the_projects_queued_limit_gets_a_field_error_with_the_numbers()
    {
        var first = await PostAsync("first", "[1, 2, 3]");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await AssertLimitAsync(await PostAsync("second", "[1, 2, 3]"), "6 queued now", "adds 6");
        await AssertLimitAsync(await _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { seeds = new[] { 4, 5, 6 } }), "6 queued now", "adds 6");
        Assert.Equal(6L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM trials"));

        // Within the limit both go through: 6 + 2 + 2 = 10.
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { seeds = new[] { 4 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("third", "[1]")).StatusCode);
        await AssertLimitAsync(await PostAsync("fourth", "[1]"), "10 queued now", "adds 2");
    }

    private static async Task AssertLimitAsync(HttpResponseMessage response, string queued, string adds)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("grid").EnumerateArray()).GetString()!;
        Assert.Contains("at most 10 queued trials", message, StringComparison.Ordinal);
        Assert.Contains(queued, message, StringComparison.Ordinal);
        Assert.Contains(adds, message, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string name, string seeds) =>
        _client.PostAsync("/api/v1/sweeps", new StringContent(
            $$$"""{"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":{{{seeds}}}}}""",
            Encoding.UTF8, "application/json"));
}

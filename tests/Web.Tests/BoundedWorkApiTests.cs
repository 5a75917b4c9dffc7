using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Domain.Sweeps;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// Issue 15: bounded work per request (failure 6) answered as field errors, and the extend bugs of item 9: a
/// cancelled sweep is refused, and two extends at once both land.
/// </summary>
[Collection(SharedHost.Api)]
public sealed class BoundedWorkApiTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string, string, string> TooMuchWork => new()
    {
        // grid, training, field, words the message must contain
        { """{"batchSize":[128],"ghostBatchSize":[128],"regimeMultiplier":[1000000]}""", """{"epochs":10000}""", "grid.regimeMultiplier", "at most 100" },
        { """{"batchSize":[128],"ghostBatchSize":[128],"regimeMultiplier":[1,60]}""", """{"epochs":200}""", "training.epochs", "200 × 60 = 12000" },
        { """{"batchSize":[16384],"ghostBatchSize":[128],"regimeMultiplier":["auto"]}""", """{"epochs":1}""", "grid.regimeMultiplier", "auto resolves to 128" },
        { """{"batchSize":[128],"ghostBatchSize":[128]}""", """{"epochs":1,"distanceEveryNSteps":1}""", "training.distanceEveryNSteps", "at least 10" },
    };

    [Theory]
    [MemberData(nameof(TooMuchWork))]
    public async Task Too_much_work_per_request_gets_a_400_with_the_field_error(string grid, string training, string field, string words)
    {
        var response = await PostAsync($$$"""{"name":"too-much","grid":{{{grid}}},"training":{{{training}}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"expected an error on '{field}': {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(words, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extending_a_cancelled_sweep_is_refused_with_a_409_that_says_how_to_reopen_it()
    {
        var id = await CreateAsync("cancelled-extend");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/v1/sweeps/{id}/cancel", null)).StatusCode);

        var response = await _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { seeds = new[] { 2 } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("cancelled", detail, StringComparison.Ordinal);
        Assert.Contains("retry", detail, StringComparison.Ordinal);
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{id}'"));
    }

    [Fact]
    public async Task Two_concurrent_extends_with_different_values_both_land_without_duplicate_trials()
    {
        // Several rounds, each two requests at once: without the row lock the second read the first's old spec.
        foreach (var round in Enumerable.Range(1, 4))
        {
            var id = await CreateAsync($"concurrent-{round}");
            var extends = await Task.WhenAll(
                _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { seeds = new[] { 5 } }),
                _client.PostAsJsonAsync($"/api/v1/sweeps/{id}/extend", new { batchSize = new[] { 512 } }));

            Assert.All(extends, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var spec = SweepJson.Deserialize(await factory.Database.ScalarAsync<string>($"SELECT spec::text FROM sweeps WHERE id = '{id}'"));
            Assert.Equal(new[] { 128, 256, 512 }, spec.Grid.BatchSize.Order());
            Assert.Equal(new[] { 1, 5 }, spec.Training.Seeds.Order());
            var cells = await factory.Database.ScalarAsync<string>(
                $"SELECT string_agg(batch_size || '/' || seed, ',' ORDER BY batch_size, seed) FROM trials WHERE sweep_id = '{id}'");
            Assert.Equal("128/1,128/5,256/1,256/5,512/1,512/5", cells);
        }
    }

    private async Task<Guid> CreateAsync(string name)
    {
        var response = await PostAsync($$$"""{"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":[1]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private Task<HttpResponseMessage> PostAsync(string json) =>
        _client.PostAsync("/api/v1/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));
}

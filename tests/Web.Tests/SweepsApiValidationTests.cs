using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>Every bad POST /api/v1/sweeps gets a 4xx ProblemDetails that names the field and the problem, and stores nothing.</summary>
[Collection(SharedHost.Api)]
public sealed class SweepsApiValidationTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Body(string grid, string training = """{"epochs":1}""", string extra = "") =>
        $$"""{"name":"v","dataset":"fashion-mnist","model":"f1","grid":{{grid}},"training":{{training}}{{extra}}}""";

    private const string Grid = """{"batchSize":[128,256],"ghostBatchSize":[128]}""";

    private static readonly string MillionCells =
        $$"""{"batchSize":[{{string.Join(',', Enumerable.Range(1, 1000))}}],"ghostBatchSize":[{{string.Join(',', Enumerable.Range(1, 1000))}}]}""";

    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        // body, field, words the message must contain, what it is
        { "{ not json", "body", "invalid", "malformed JSON" },
        { """{"name":"v","grid":{"batchSize":[128],"ghostBatchSize":[128]},"colour":"red"}""", "colour", "Unknown field", "an unknown field" },
        { Body("""{"batchSize":[128],"ghostBatchSize":[128],"shape":"round"}"""), "grid.shape", "Unknown field", "an unknown nested field" },
        { Body("""{"batchSize":[],"ghostBatchSize":[128]}"""), "grid.batchSize", "at least one batch size", "an empty batch-size axis" },
        { Body("""{"batchSize":[128],"ghostBatchSize":[]}"""), "grid.ghostBatchSize", "at least one ghost batch size", "an empty ghost axis" },
        { Body(MillionCells), "grid", "1000000 cells; the limit is 10000", "a grid of 10^6 cells" },
        { Body("""{"batchSize":[-128],"ghostBatchSize":[128]}"""), "grid.batchSize", "-128", "a negative batch size" },
        { Body("""{"batchSize":[0],"ghostBatchSize":[128]}"""), "grid.batchSize", "got 0", "a zero batch size" },
        { Body("""{"batchSize":[128],"ghostBatchSize":[0]}"""), "grid.ghostBatchSize", "positive", "a zero ghost batch size" },
        { Body("""{"batchSize":[128],"ghostBatchSize":[128],"regimeMultiplier":[-2]}"""), "grid.regimeMultiplier", "above 0", "a negative regime" },
        { Body(Grid, """{"epochs":1,"learningRate":"NaN"}"""), "training.learningRate", "finite", "a NaN learning rate" },
        { Body(Grid, """{"epochs":1,"learningRate":"Infinity"}"""), "training.learningRate", "finite", "an infinite learning rate" },
        { Body(Grid, """{"epochs":1,"learningRate":-0.1}"""), "training.learningRate", "above 0", "a negative learning rate" },
        { Body(Grid, """{"epochs":0}"""), "training.epochs", "between 1 and", "zero epochs" },
        { Body(Grid, """{"epochs":1,"referenceBatchSize":0}"""), "training.referenceBatchSize", "positive", "a zero reference batch size" },
        { Body(Grid, """{"epochs":1,"momentum":"NaN"}"""), "training.momentum", "[0, 1)", "a NaN momentum" },
        { Body(Grid).Replace("fashion-mnist", "imagenet", StringComparison.Ordinal), "dataset", "Unknown dataset 'imagenet'", "an unknown dataset" },
        { Body(Grid).Replace("\"f1\"", "\"gpt\"", StringComparison.Ordinal), "model", "Unknown model 'gpt'", "an unknown model" },
        { Body(Grid, """{"epochs":1,"lrScaling":7}"""), "training.lrScaling", "takes one of", "an enum given as an undefined number" },
        { Body(Grid, """{"epochs":1,"lrScaling":1}"""), "training.lrScaling", "takes one of", "an enum given as a defined number" },
        { Body(Grid, """{"epochs":1,"runningStats":1}"""), "training.runningStats", "takes one of", "a running-stats policy given as a number" },
        { Body("""{"batchSize":[128],"ghostBatchSize":[128],"gbnImplementation":[0]}"""), "grid.gbnImplementation[0]", "takes one of", "an axis value given as a number" },
        { Body(Grid, """{"epochs":1,"lrScaling":"cubic"}"""), "training.lrScaling", "\"sqrt\"", "an unknown LR scaling rule" },
        { Body("""{"batchSize":[128],"ghostBatchSize":[1,128]}"""), "grid.ghostBatchSize", "at least 2", "a one-sample ghost batch on F1's 1-D BN" },
        { Body(Grid, """{"epochs":1,"runningStats":"algorithm1","gbnImplementation":"accumulate"}"""), "training.runningStats", "accumulate", "algorithm1 with the accumulate loop" },
        { Body(Grid, """{"epochs":1,"momentumResetEpochs":[-1]}"""), "training.momentumResetEpochs", "negative", "a negative momentum-reset epoch" },
        { "[1, 2]", "body", "could not be converted", "a JSON array" },
        { "null", "body", "JSON object", "JSON null" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_gets_a_400_naming_the_field_and_nothing_is_stored(string json, string field, string words, string what)
    {
        var before = await StoredAsync();
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{what}: expected an error on '{field}': {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(words, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task An_oversized_body_gets_a_413_naming_the_limit_and_nothing_is_stored()
    {
        var json = Body(Grid, extra: $$""","pad":"{{new string('x', 1_100_000)}}" """);

        var before = await StoredAsync();
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertTooLargeAsync(response, 1_048_576);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task An_oversized_chunked_body_without_a_length_is_refused_as_well()
    {
        var json = Body(Grid, extra: $$""","pad":"{{new string('x', 1_100_000)}}" """);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sweeps") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var before = await StoredAsync();
        var response = await _client.SendAsync(request);

        await AssertTooLargeAsync(response, 1_048_576);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task The_body_limit_also_guards_the_other_endpoints()
    {
        var json = $$"""{"priority":1,"pad":"{{new string('x', 1_100_000)}}"}""";

        var response = await _client.PutAsync($"/api/v1/trials/{Guid.NewGuid()}/priority", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertTooLargeAsync(response, 1_048_576);
    }

    [Fact]
    public async Task The_limits_are_configurable()
    {
        using var strict = factory.WithWebHostBuilder(b => b.UseSetting("Api:MaxCells", "4").UseSetting("Api:MaxRequestBodyBytes", "2048"));
        var client = strict.CreateClient();

        var before = await StoredAsync();
        var tooMany = await client.PostAsync("/api/v1/sweeps", new StringContent(Body("""{"batchSize":[128,256,512],"ghostBatchSize":[64,128]}"""), Encoding.UTF8, "application/json"));
        var problem = await tooMany.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("6 cells; the limit is 4", problem.GetProperty("errors").GetProperty("grid")[0].GetString());

        var tooLarge = await client.PostAsync("/api/v1/sweeps", new StringContent(Body(Grid, extra: $$""","pad":"{{new string('x', 3000)}}" """), Encoding.UTF8, "application/json"));
        await AssertTooLargeAsync(tooLarge, 2048);
        Assert.Equal(before, await StoredAsync());
    }

    [Theory]
    [InlineData("Api:MaxCells", "0")]
    [InlineData("Api:MaxRequestBodyBytes", "10")]
    public void Invalid_limits_stop_the_app_at_start(string key, string value)
    {
        using var broken = factory.WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => broken.CreateClient());
        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_a_415()
    {
        var before = await StoredAsync();
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(Body(Grid), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, await StoredAsync());
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response, long limit)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal(limit, problem.GetProperty("limitBytes").GetInt64());
        Assert.Contains(limit.ToString("N0", CultureInfo.InvariantCulture) + " bytes", problem.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    /// <summary>
    /// The sweeps, trials and idempotency keys in the database. The classes of this host's collection run one after
    /// another (<see cref="SharedHost"/>), so a count that a refused request leaves unchanged means it stored nothing.
    /// </summary>
    private async Task<(long Sweeps, long Trials, long Keys)> StoredAsync() => (
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sweeps"),
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM trials"),
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys"));
}

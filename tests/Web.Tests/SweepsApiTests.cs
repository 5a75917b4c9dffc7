using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

[Collection(SharedHost.Api)]
public sealed class SweepsApiTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Body(string name, string ghost = "[128]", string extra = "") => $$"""
        {
          "name": "{{name}}",
          "dataset": "fashion-mnist",
          "model": "f1",
          "grid": { "batchSize": [128, 1024], "ghostBatchSize": {{ghost}}, "regimeMultiplier": [1] },
          "training": {
            "epochs": 3, "learningRate": 0.1, "referenceBatchSize": 128, "lrScaling": "sqrt",
            "momentum": 0.9, "weightDecay": 0.0001, "lrDropEpochs": [], "lrDropFactor": 0.1,
            "gradientClipNorm": 5.0, "seeds": [1], "trainSubset": null
          }{{extra}}
        }
        """;

    private Task<HttpResponseMessage> PostAsync(string json) =>
        _client.PostAsync("/api/v1/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Posting_the_contract_example_stores_the_sweep_and_one_trial_per_cell()
    {
        var response = await PostAsync(Body("contract-example"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/sweeps/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(2, created.GetProperty("trialCount").GetInt32());
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{id}' AND state = 'queued'"));

        var sweep = await _client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal("contract-example", sweep.GetProperty("name").GetString());
        var trials = sweep.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal([128, 1024], trials.Select(t => t.GetProperty("batchSize").GetInt32()));
        Assert.All(trials, t => Assert.Equal("queued", t.GetProperty("state").GetString()));
        Assert.All(trials, t => Assert.Equal(128, t.GetProperty("ghostBatchSize").GetInt32()));
    }

    [Fact]
    public async Task Every_created_trial_is_enqueued_as_a_Hangfire_job_with_its_id()
    {
        var response = await PostAsync(Body("enqueued"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var trialIds = await factory.Database.ScalarAsync<string>($"SELECT string_agg(id::text, ',') FROM trials WHERE sweep_id = '{id}'");
        foreach (var trialId in trialIds.Split(','))
        {
            Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM hangfire.job j JOIN hangfire.jobqueue q ON q.jobid = j.id WHERE j.arguments::text LIKE '%{trialId}%' AND q.queue = 'default'"));
        }
    }

    [Fact]
    public async Task Invalid_cells_get_a_ProblemDetails_naming_the_values_and_nothing_is_stored()
    {
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sweeps");

        var response = await PostAsync(Body("invalid-cells", ghost: "[96, 256]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = problem.GetProperty("errors").GetProperty("grid.ghostBatchSize").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("batchSize 128") && m.Contains("ghostBatchSize 256"));
        Assert.Contains(messages, m => m.Contains("batchSize 1024") && m.Contains("ghostBatchSize 96"));
        Assert.Equal(before, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM sweeps"));
    }

    [Fact]
    public async Task Skip_invalid_cells_skips_them_and_reports_how_many()
    {
        var response = await PostAsync(Body("skipping", ghost: "[96, 128, 256]", extra: """, "skipInvalidCells": true"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, created.GetProperty("trialCount").GetInt32());
        Assert.Equal(3, created.GetProperty("skippedCells").GetInt32());
        Assert.Equal(3, created.GetProperty("invalidCells").GetArrayLength());
    }

    [Theory]
    [InlineData("{ not json", "body")]
    [InlineData("""{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"colour":"red"}""", "colour")]
    [InlineData("""{"name":"x","grid":{"batchSize":[128],"ghostBatchSize":[128]},"training":{"learningRate":"NaN"}}""", "training.learningRate")]
    [InlineData("""{"name":"x","grid":{"batchSize":[],"ghostBatchSize":[128]}}""", "grid.batchSize")]
    [InlineData("""{"name":"x","grid":{"batchSize":[0],"ghostBatchSize":[128]}}""", "grid.batchSize")]
    public async Task Bad_bodies_get_field_errors(string json, string field)
    {
        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on '{field}': {problem}");
    }

    [Fact]
    public async Task An_unknown_sweep_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}/heatmap")).StatusCode);
    }

    [Fact]
    public async Task The_heatmap_has_a_null_for_every_cell_without_a_result_and_validates_its_axes()
    {
        var created = await (await PostAsync(Body("heatmap-empty"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        var map = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}/heatmap?x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1");
        Assert.Equal([128.0, 1024.0], map.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([128.0], map.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.All(map.GetProperty("z")[0].EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));

        var bad = await _client.GetAsync($"/api/v1/sweeps/{id}/heatmap?x=batchSize&y=batchSize&metric=accuracy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("y", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("metric", out _));
    }

    [Fact]
    public async Task The_sweep_page_lists_the_trials_and_holds_the_heatmap()
    {
        var created = await (await PostAsync(Body("page-check"))).Content.ReadFromJsonAsync<JsonElement>();
        var html = await _client.GetStringAsync($"/sweeps/{created.GetProperty("id").GetGuid()}");

        Assert.Contains("page-check", html);
        Assert.Contains("id=\"heatmap\"", html);
        Assert.Equal(2, html.Split("class=\"trial queued\"").Length - 1);
    }

    [Fact]
    public async Task An_LR_rule_axis_creates_a_cell_per_rule_and_the_heatmap_names_them()
    {
        const string json = """
            {"name":"lr-axis","grid":{"batchSize":[128,1024],"ghostBatchSize":[128],"lrScaling":["none","sqrt","linear"]},"training":{"epochs":1,"lrDropEpochs":[]}}
            """;
        var created = await (await PostAsync(json)).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        Assert.Equal(6, created.GetProperty("trialCount").GetInt32());
        var sweep = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        Assert.Equal(["linear", "linear", "none", "none", "sqrt", "sqrt"], sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("lrScaling").GetString()).Order());
        var map = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}/heatmap?x=lrScaling&y=batchSize&metric=valAccuracy");
        Assert.Equal(["none", "sqrt", "linear"], map.GetProperty("xLabels").EnumerateArray().Select(v => v.GetString()));
        var bad = await _client.GetAsync($"/api/v1/sweeps/{id}/heatmap?lrScaling=cubic");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_sweeps_endpoints()
    {
        var doc = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/sweeps", out _));
        Assert.True(paths.TryGetProperty("/api/v1/sweeps/{id}/heatmap", out _));
    }
}

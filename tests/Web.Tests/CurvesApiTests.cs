using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sweep.Web.Tests;

/// <summary>/sweeps/{id}/curves and /distance over metric points written with SQL (no worker runs).</summary>
public sealed class CurvesApiTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(Guid Sweep, List<Guid> Trials)> CreateAsync(string name, string seeds = "[1]")
    {
        var body = $$$"""
            {"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":{{{seeds}}}}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        return (id, sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
    }

    private Task InsertAsync(Guid trial, string key, string steps, string value, string epoch = "s / 100") =>
        factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trial}', '{key}', s, {epoch}, {value}, now() FROM {steps} s RETURNING 1");

    private static JsonElement Series(JsonElement curves, Guid trial, string key) =>
        curves.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("trial").GetProperty("id").GetGuid() == trial)
            .GetProperty("series").GetProperty(key);

    [Fact]
    public async Task Curves_are_downsampled_to_the_cap_per_series_and_keep_NaN()
    {
        var (sweep, trials) = await CreateAsync("curves-shape");
        await InsertAsync(trials[0], "trainLoss", "generate_series(0, 999)", "1.0 / (s + 1)");
        await InsertAsync(trials[0], "valAccuracy", "generate_series(0, 4)", "CASE WHEN s = 3 THEN 'NaN'::float8 ELSE s / 10.0 END", epoch: "s");

        var curves = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/curves?keys=trainLoss,valAccuracy&points=100");

        Assert.Equal(sweep, curves.GetProperty("sweepId").GetGuid());
        Assert.Equal(["trainLoss", "valAccuracy"], curves.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(100, curves.GetProperty("maxPoints").GetInt32());
        Assert.Equal(2, curves.GetProperty("trials").GetArrayLength());
        Assert.False(curves.GetProperty("truncated").GetBoolean());

        var loss = Series(curves, trials[0], "trainLoss");
        Assert.Equal(1000, loss.GetProperty("totalPoints").GetInt32());
        var points = loss.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(100, points.Count);
        Assert.Equal(0, points[0].GetProperty("step").GetInt64());
        Assert.Equal(999, points[^1].GetProperty("step").GetInt64());
        Assert.Equal(1.0, points[0].GetProperty("value").GetDouble());
        Assert.Equal(9, points[^1].GetProperty("epoch").GetInt32());
        var steps = points.Select(p => p.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(steps.Order(), steps);

        var accuracy = Series(curves, trials[0], "valAccuracy").GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(5, accuracy.Count);
        Assert.Equal("NaN", accuracy[3].GetProperty("value").GetString());
        Assert.Equal(0.4, accuracy[4].GetProperty("value").GetDouble(), 1e-12);

        // The other trial has recorded nothing: every requested key is there, empty.
        Assert.Equal(0, Series(curves, trials[1], "trainLoss").GetProperty("totalPoints").GetInt32());
        Assert.Equal(0, Series(curves, trials[1], "valAccuracy").GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Default_keys_and_points_and_a_chosen_trial()
    {
        var (sweep, trials) = await CreateAsync("curves-defaults");
        await InsertAsync(trials[1], "valLoss", "generate_series(0, 999)", "s");
        await InsertAsync(trials[1], "weightDistance.layers.0.weight", "generate_series(0, 9)", "s");

        var curves = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/curves?trials={trials[1]}");

        Assert.Equal(["trainLoss", "valLoss", "trainAccuracy", "valAccuracy"], curves.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        var only = Assert.Single(curves.GetProperty("trials").EnumerateArray());
        Assert.Equal(trials[1], only.GetProperty("trial").GetProperty("id").GetGuid());
        Assert.Equal(256, only.GetProperty("trial").GetProperty("batchSize").GetInt32());
        Assert.Equal(300, only.GetProperty("series").GetProperty("valLoss").GetProperty("points").GetArrayLength());

        var layer = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/curves?trials={trials[1]}&keys=weightDistance.layers.0.weight");
        Assert.Equal(10, Series(layer, trials[1], "weightDistance.layers.0.weight").GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Without_trials_the_first_50_in_grid_order_are_read()
    {
        var seeds = "[" + string.Join(",", Enumerable.Range(1, 26)) + "]";
        var (sweep, trials) = await CreateAsync("curves-cap", seeds);
        Assert.Equal(52, trials.Count);

        var curves = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/curves?keys=valAccuracy");
        Assert.Equal(50, curves.GetProperty("trials").GetArrayLength());
        Assert.Equal(52, curves.GetProperty("sweepTrialCount").GetInt32());
        Assert.True(curves.GetProperty("truncated").GetBoolean());
        Assert.Equal(trials.Take(50), curves.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("trial").GetProperty("id").GetGuid()));

        var tooMany = await _client.GetAsync($"/api/v1/sweeps/{sweep}/curves?trials={string.Join(",", trials.Take(51))}");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("trials", out _));
    }

    [Fact]
    public async Task Unknown_sweeps_are_404_and_bad_queries_are_400_ProblemDetails()
    {
        var (sweep, trials) = await CreateAsync("curves-errors");
        var (_, others) = await CreateAsync("curves-errors-other");

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}/curves")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}/distance")).StatusCode);

        async Task<JsonElement> BadAsync(string query)
        {
            var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        }

        var unknownKey = await BadAsync("curves?keys=valAccuracy,accuracy");
        Assert.Contains("'accuracy'", unknownKey.GetProperty("keys")[0].GetString());
        var badId = await BadAsync("curves?trials=not-a-guid");
        Assert.Contains("not-a-guid", badId.GetProperty("trials")[0].GetString());
        var foreign = await BadAsync($"curves?trials={trials[0]},{others[0]}");
        Assert.Contains(others[0].ToString(), foreign.GetProperty("trials")[0].GetString());
        Assert.True((await BadAsync("curves?points=2")).TryGetProperty("points", out _));
        Assert.True((await BadAsync("curves?points=lots")).TryGetProperty("points", out _));
        Assert.True((await BadAsync("distance?trials=123")).TryGetProperty("trials", out _));
        Assert.True((await BadAsync("distance?points=100000")).TryGetProperty("points", out _));
    }

    [Fact]
    public async Task Distance_has_its_log_fit_over_every_point_and_a_downsampled_series()
    {
        var (sweep, trials) = await CreateAsync("distance");

        // ‖w − w0‖ = 0.3 + 0.2·ln(step) every 10 steps, plus the initial point at step 0 (left out of the fit).
        await InsertAsync(trials[0], "weightDistance", "generate_series(10, 5000, 10)", "0.3 + 0.2 * ln(s)");
        await InsertAsync(trials[0], "weightDistance", "generate_series(0, 0)", "0");

        var distance = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/distance?points=50");

        Assert.Equal(50, distance.GetProperty("maxPoints").GetInt32());
        var all = distance.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, all.Count);
        var first = all.Single(t => t.GetProperty("trial").GetProperty("id").GetGuid() == trials[0]);
        Assert.Equal(501, first.GetProperty("totalPoints").GetInt32());
        var points = first.GetProperty("points").EnumerateArray().ToList();
        Assert.InRange(points.Count, 20, 50);
        Assert.Equal(0, points[0].GetProperty("step").GetInt64());
        Assert.Equal(5000, points[^1].GetProperty("step").GetInt64());

        // Buckets of equal width in ln(1 + step): the first tenth of the steps keeps a good part of the points
        // (equal-count buckets would leave it about 5 of 50).
        Assert.True(points.Count(p => p.GetProperty("step").GetInt64() <= 500) >= 15);

        var fit = first.GetProperty("fit");
        Assert.Equal(0.2, fit.GetProperty("slope").GetDouble(), 1e-9);
        Assert.Equal(0.3, fit.GetProperty("intercept").GetDouble(), 1e-9);
        Assert.Equal(1.0, fit.GetProperty("rSquared").GetDouble(), 1e-9);
        Assert.Equal(500, fit.GetProperty("count").GetInt32());

        var second = all.Single(t => t.GetProperty("trial").GetProperty("id").GetGuid() == trials[1]);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("fit").ValueKind);
        Assert.Equal(0, second.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_curves_and_export_endpoints()
    {
        var paths = (await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/sweeps/{id}/curves", out _));
        Assert.True(paths.TryGetProperty("/api/v1/sweeps/{id}/distance", out _));
        Assert.True(paths.TryGetProperty("/api/v1/sweeps/{id}/export/metrics.csv", out _));
    }
}

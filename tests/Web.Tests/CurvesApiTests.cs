using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>/sweeps/{id}/curves and /distance over metric points written with SQL (no worker runs).</summary>
[Collection(SharedHost.Results)]
public sealed class CurvesApiTests(SweepWebFactory factory)
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

    private Task<int> InsertAsync(Guid trial, string key, string steps, string value, string epoch = "s / 100") =>
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

    /// <summary>
    /// B ∈ {128, 256} × seeds 1, 2 on 1,280 samples (10 and 5 steps per epoch), 20 epochs with the LR dropping after
    /// epoch 10: at step 100 for B = 128. Only B = 128 records: valAccuracy s/10 and s/10 + 0.02 after epochs 0–2, and
    /// ‖w − w0‖ = 0.3 + 0.2·ln(step) and 0.5 + 0.2·ln(step) up to step 99, then 9 (after the drop) up to step 300.
    /// </summary>
    private async Task<(Guid Sweep, List<Guid> Trials)> CreateSeededAsync(string name)
    {
        var body = $$$"""
            {"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},
             "training":{"epochs":20,"lrDropEpochs":[10],"referenceBatchSize":128,"trainSubset":1280,"seeds":[1,2]}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        var trials = sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        await InsertAsync(trials[0], "valAccuracy", "generate_series(0, 2)", "s / 10.0", epoch: "s");
        await InsertAsync(trials[1], "valAccuracy", "generate_series(0, 2)", "s / 10.0 + 0.02", epoch: "s");
        await InsertAsync(trials[0], "weightDistance", "generate_series(1, 300)", "CASE WHEN s < 100 THEN 0.3 + 0.2 * ln(s) ELSE 9 END", epoch: "s / 10");
        await InsertAsync(trials[1], "weightDistance", "generate_series(1, 300)", "CASE WHEN s < 100 THEN 0.5 + 0.2 * ln(s) ELSE 9 END", epoch: "s / 10");
        return (id, trials);
    }

    [Fact]
    public async Task Grouped_over_seeds_each_configuration_has_a_mean_line_with_a_95_band()
    {
        var (sweep, trials) = await CreateSeededAsync("curves-grouped");

        var grouped = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/curves?keys=valAccuracy&group=seeds");
        var plain = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/curves?keys=valAccuracy");

        var groups = grouped.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal([128, 256], groups.Select(g => g.GetProperty("configuration").GetProperty("batchSize").GetInt32()));
        Assert.Equal([1, 2], groups[0].GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(trials.Take(2), groups[0].GetProperty("trials").EnumerateArray().Select(t => t.GetGuid()));
        var band = groups[0].GetProperty("bands").GetProperty("valAccuracy").EnumerateArray().ToList();
        Assert.Equal([0.0, 1, 2], band.Select(p => p.GetProperty("x").GetDouble()));
        Assert.All(band, p => Assert.Equal(2, p.GetProperty("n").GetInt32()));
        Assert.Equal(0.11, band[1].GetProperty("mean").GetDouble(), 9);
        Assert.True(band[1].GetProperty("low").GetDouble() < 0.11 && band[1].GetProperty("high").GetDouble() > 0.11);
        Assert.Equal(0, groups[1].GetProperty("bands").GetProperty("valAccuracy").GetArrayLength());

        // The default form is unchanged: one series per trial, no groups.
        Assert.False(plain.TryGetProperty("groups", out _));
        Assert.Equal(4, plain.GetProperty("trials").GetArrayLength());
    }

    [Fact]
    public async Task Distance_fits_stop_at_the_first_LR_drop_per_trial_and_per_configuration()
    {
        var (sweep, trials) = await CreateSeededAsync("distance-window");

        var plain = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/distance?trials={trials[0]},{trials[2]}");
        var grouped = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/distance?group=seeds");

        var first = plain.GetProperty("trials")[0];
        Assert.Equal(100, first.GetProperty("firstDropStep").GetDouble());
        var report = first.GetProperty("report");
        Assert.True(report.GetProperty("toStep").GetDouble() < 100);
        Assert.True(report.GetProperty("decades").GetDouble() >= 1);
        Assert.Equal(0.2, report.GetProperty("slope").GetDouble(), 6);
        Assert.Equal(0.2, report.GetProperty("log").GetProperty("slope").GetDouble(), 6);
        Assert.Contains(report.GetProperty("preferred").GetString(), new[] { "log", "power", "neither" });
        Assert.NotEqual(0.2, first.GetProperty("fit").GetProperty("slope").GetDouble(), 3); // the old fit covers every point
        Assert.Equal(50, plain.GetProperty("trials")[1].GetProperty("firstDropStep").GetDouble());
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("trials")[1].GetProperty("report").ValueKind);

        var small = grouped.GetProperty("groups")[0];
        Assert.Equal(100, small.GetProperty("firstDropStep").GetDouble());
        Assert.Equal(300, small.GetProperty("band").GetArrayLength());
        Assert.Equal(0.4 + (0.2 * Math.Log(10)), small.GetProperty("band")[9].GetProperty("mean").GetDouble(), 9);
        Assert.Equal(0.2, small.GetProperty("report").GetProperty("slope").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, grouped.GetProperty("groups")[1].GetProperty("report").ValueKind);

        var bad = await _client.GetAsync($"/api/v1/sweeps/{sweep}/distance?group=colour");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
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

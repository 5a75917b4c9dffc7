using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sweep.Web.Tests;

/// <summary>The heatmap endpoint's point in time (at, epoch) and facets, on recorded per-epoch metrics in PostgreSQL.</summary>
public sealed class HeatmapApiTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>
    /// B ∈ {128, 1024}, G = 128, regime ∈ {1, 2} (3 and 6 epochs). Validation accuracy after each completed epoch
    /// (epoch 0 = before training): (128, ×1) 0.10 0.90 0.95 0.93; (1024, ×1) 0.10 0.70 0.80 0.85;
    /// (128, ×2) 0.10 0.50 0.60 0.70 0.80 0.90 0.96; (1024, ×2) still running after 1 epoch: 0.10 0.40.
    /// </summary>
    private async Task<(Guid Sweep, Guid Small)> CreateAsync(string name)
    {
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1",
             "grid":{"batchSize":[128,1024],"ghostBatchSize":[128],"regimeMultiplier":[1,2]},
             "training":{"epochs":3,"referenceBatchSize":128,"lrDropEpochs":[],"seeds":[1]}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var small = await RecordAsync(id, 128, 1, "completed", 0.10, 0.90, 0.95, 0.93);
        await RecordAsync(id, 1024, 1, "completed", 0.10, 0.70, 0.80, 0.85);
        await RecordAsync(id, 128, 2, "completed", 0.10, 0.50, 0.60, 0.70, 0.80, 0.90, 0.96);
        await RecordAsync(id, 1024, 2, "running", 0.10, 0.40);
        return (id, small);
    }

    private async Task<Guid> RecordAsync(Guid sweep, int batch, double regime, string state, params double[] accuracyByEpoch)
    {
        var values = string.Join(",", accuracyByEpoch.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var final = state == "completed" ? accuracyByEpoch[^1].ToString(System.Globalization.CultureInfo.InvariantCulture) : "NULL";
        var trial = Guid.Parse(await factory.Database.ScalarAsync<string>(
            $"""
            UPDATE trials SET state = '{state}', current_epoch = {accuracyByEpoch.Length - 1}, final_val_accuracy = {final}
             WHERE sweep_id = '{sweep}' AND batch_size = {batch} AND regime_multiplier = {regime} RETURNING id::text
            """));
        await factory.Database.ScalarAsync<int>(
            $"""
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            SELECT '{trial}', 'valAccuracy', (i - 1) * 10, i - 1, v, now() FROM unnest(array[{values}]::float8[]) WITH ORDINALITY u(v, i) RETURNING 1
            """);
        return trial;
    }

    private async Task<JsonElement> GetAsync(Guid sweep, string query)
    {
        var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/heatmap?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<double?> Row(JsonElement map, int y = 0) =>
        map.GetProperty("z")[y].EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : Math.Round(v.GetDouble(), 10)).ToList();

    [Fact]
    public async Task Without_at_or_facet_the_response_is_one_heatmap_of_final_values_as_before()
    {
        var (sweep, small) = await CreateAsync("heatmap-final");

        var map = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1");
        var none = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1&facet=none&at=final");

        Assert.False(map.TryGetProperty("panels", out _));
        Assert.Equal([128.0, 1024.0], map.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0.93, 0.85], Row(map));
        Assert.Equal(small, map.GetProperty("trials")[0][0][0].GetGuid());
        Assert.Equal(Row(map), Row(none));
    }

    [Fact]
    public async Task At_best_reads_each_trials_best_epoch_and_at_epoch_the_value_after_that_epoch()
    {
        var (sweep, _) = await CreateAsync("heatmap-at");

        var best = await GetAsync(sweep, "metric=valAccuracy&regimeMultiplier=1&at=best");
        var epoch2 = await GetAsync(sweep, "metric=valAccuracy&regimeMultiplier=1&at=epoch:2");
        var epoch2Param = await GetAsync(sweep, "metric=valAccuracy&regimeMultiplier=1&at=epoch&epoch=2");
        var epoch2NoAt = await GetAsync(sweep, "metric=valAccuracy&regimeMultiplier=1&epoch=2");
        var bestError = await GetAsync(sweep, "metric=valError&regimeMultiplier=1&at=best");
        var beyond = await GetAsync(sweep, "metric=valAccuracy&regimeMultiplier=1&at=epoch:5");

        Assert.Equal([0.95, 0.85], Row(best));
        Assert.Equal([0.95, 0.80], Row(epoch2));
        Assert.Equal(Row(epoch2), Row(epoch2Param));
        Assert.Equal(Row(epoch2), Row(epoch2NoAt));
        Assert.Equal([0.05, 0.15], Row(bestError));
        Assert.Equal([null, null], Row(beyond));
        Assert.Equal("1 ended before epoch 5", beyond.GetProperty("notes")[0][0].GetString());
    }

    [Fact]
    public async Task At_an_epoch_the_end_of_epoch_point_is_read_not_a_later_every_n_steps_distance()
    {
        var (sweep, small) = await CreateAsync("heatmap-distance");

        // As the worker writes them: the end of epoch 1 at step 10, a mid-epoch distance tagged with the 0-based epoch
        // in progress (1) at step 15, and the end of epoch 2 at step 20.
        await factory.Database.ScalarAsync<int>(
            $"""
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            VALUES ('{small}', 'weightDistance', 10, 1, 1.0, now()), ('{small}', 'weightDistance', 15, 1, 1.5, now()), ('{small}', 'weightDistance', 20, 2, 2.0, now())
            RETURNING 1
            """);

        var map = await GetAsync(sweep, "metric=weightDistance&regimeMultiplier=1&at=epoch:1");

        Assert.Equal([1.0, null], Row(map));
    }

    [Fact]
    public async Task A_facet_gives_one_heatmap_per_value_on_shared_axes_with_one_range()
    {
        var (sweep, _) = await CreateAsync("heatmap-facet");

        var faceted = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&facet=regimeMultiplier&at=epoch:2");

        Assert.Equal("regimeMultiplier", faceted.GetProperty("facet").GetString());
        var panels = faceted.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal([1.0, 2.0], panels.Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal(["1", "2"], panels.Select(p => p.GetProperty("label").GetString()));
        Assert.Equal([0.95, 0.80], Row(panels[0].GetProperty("map")));
        Assert.Equal([0.60, null], Row(panels[1].GetProperty("map")));
        Assert.Equal("1 running", panels[1].GetProperty("map").GetProperty("notes")[0][1].GetString());
        Assert.Equal(0.60, faceted.GetProperty("zMin").GetDouble(), 10);
        Assert.Equal(0.95, faceted.GetProperty("zMax").GetDouble(), 10);
    }

    [Theory]
    [InlineData("at=latest", "at")]
    [InlineData("at=epoch:-1", "at")]
    [InlineData("at=epoch:two", "at")]
    [InlineData("at=epoch", "epoch")]
    [InlineData("at=best&epoch=2", "epoch")]
    [InlineData("epoch=-3", "epoch")]
    [InlineData("at=best&metric=wallSeconds", "at")]
    [InlineData("facet=batchSize", "facet")]
    [InlineData("facet=colour", "facet")]
    public async Task Bad_points_in_time_and_facets_are_validation_problems_naming_the_parameter(string query, string field)
    {
        // The query is validated before the sweep is looked up: any id gets the same 400.
        var response = await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}/heatmap?x=batchSize&y=ghostBatchSize&{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors: {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }
}

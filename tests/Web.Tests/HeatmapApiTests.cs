using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>The heatmap endpoint's point in time (at, epoch) and facets, on recorded per-epoch metrics in PostgreSQL.</summary>
[Collection(SharedHost.Results)]
public sealed partial class HeatmapApiTests(SweepWebFactory factory)
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

        var map = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1&trialIds=true");
        var none = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1&facet=none&at=final");

        Assert.False(map.TryGetProperty("panels", out _));
        Assert.Equal([128.0, 1024.0], map.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0.93, 0.85], Row(map));
        Assert.Equal(small, map.GetProperty("trials")[0][0][0].GetGuid());
        Assert.Equal(Row(map), Row(none));
        Assert.Equal(0, none.GetProperty("trials").GetArrayLength()); // ids only when asked for
    }

    [Fact]
    public async Task Peak_memory_and_CPU_time_are_heatmap_metrics_whose_final_value_is_a_completed_trials_latest()
    {
        var (sweep, small) = await CreateAsync("heatmap-resources");
        var trials = await factory.Database.ScalarAsync<string>(
            $"SELECT string_agg(id::text, ',' ORDER BY regime_multiplier, batch_size) FROM trials WHERE sweep_id = '{sweep}'");
        var (large, running) = (trials.Split(',')[1], trials.Split(',')[3]);
        await factory.Database.ScalarAsync<int>(
            $"""
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            VALUES ('{small}', 'peakRssMiB', 0, 0, 600, now()), ('{small}', 'peakRssMiB', 10, 1, 640, now()), ('{small}', 'peakRssMiB', 30, 3, 700, now()),
                   ('{small}', 'cpuSeconds', 30, 3, 12.5, now()), ('{large}', 'peakRssMiB', 30, 3, 900, now()),
                   ('{running}', 'peakRssMiB', 10, 1, 800, now())
            RETURNING 1
            """);

        var final = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=peakRssMiB&regimeMultiplier=1");
        var afterOne = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=peakRssMiB&regimeMultiplier=1&at=epoch&epoch=1");
        var cpu = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=cpuSeconds&regimeMultiplier=1");
        // Regime 2: (128, ×2) completed without a measurement, (1024, ×2) is still running, so neither has a final value.
        var stretched = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=peakRssMiB&regimeMultiplier=2");

        Assert.Equal([700.0, 900.0], Row(final));
        Assert.Equal([640.0, null], Row(afterOne));
        Assert.Equal([12.5, null], Row(cpu));
        Assert.Equal([null, null], Row(stretched));
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

    /// <summary>
    /// Three seeds of B ∈ {128, 1024} × regime ∈ {1, 2}, G = 128; validation accuracy by seed 1, 2, 3:
    /// (128, ×1) 0.90 0.91 0.92 (the baseline); (1024, ×1) 0.80 0.81 0.79; (128, ×2) 0.93 0.92 0.94; (1024, ×2) 0.925 0.90 0.935.
    /// Seed 1 of (1024, ×1) recorded initial running statistics still weighing 0.5 (the guard flags it).
    /// </summary>
    private async Task<Guid> CreateSeededAsync(string name)
    {
        var body = $$$"""
            {"name":"{{{name}}}","dataset":"fashion-mnist","model":"f1",
             "grid":{"batchSize":[128,1024],"ghostBatchSize":[128],"regimeMultiplier":[1,2]},
             "training":{"epochs":3,"referenceBatchSize":128,"lrDropEpochs":[],"seeds":[1,2,3]}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var values = new Dictionary<(int Batch, int Regime), double[]>
        {
            [(128, 1)] = [0.90, 0.91, 0.92],
            [(1024, 1)] = [0.80, 0.81, 0.79],
            [(128, 2)] = [0.93, 0.92, 0.94],
            [(1024, 2)] = [0.925, 0.90, 0.935],
        };
        foreach (var ((batch, regime), accuracies) in values)
        {
            for (var seed = 1; seed <= 3; seed++)
            {
                var accuracy = accuracies[seed - 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
                var trial = await factory.Database.ScalarAsync<string>(
                    $"""
                    UPDATE trials SET state = 'completed', current_epoch = 3, final_val_accuracy = {accuracy}, final_steps = 1000
                     WHERE sweep_id = '{id}' AND batch_size = {batch} AND regime_multiplier = {regime} AND seed = {seed} RETURNING id::text
                    """);
                if ((batch, regime, seed) == (1024, 1, 1))
                {
                    await factory.Database.ScalarAsync<int>(
                        $"""
                        INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
                        VALUES ('{trial}', 'runningStatsInitialWeight', 10, 1, 0.9, now()), ('{trial}', 'runningStatsInitialWeight', 30, 3, 0.5, now()),
                               ('{trial}', 'trainEvalModeDelta', 30, 3, 0.01, now())
                        RETURNING 1
                        """);
                }
            }
        }

        return id;
    }

    private static JsonElement Cell(JsonElement map, string field, int x, int y = 0) => map.GetProperty(field)[y][x];

    [Fact]
    public async Task Over_three_seeds_each_cell_has_n_a_95_interval_a_paired_difference_to_the_baseline_and_its_flags()
    {
        var sweep = await CreateSeededAsync("heatmap-seeds");

        var map = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=1");

        Assert.Equal([3, 3], map.GetProperty("count")[0].EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal([3, 3], map.GetProperty("n")[0].EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(0.01, Cell(map, "std", 0).GetDouble(), 9);
        var ci = Cell(map, "ci95", 0).EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(2, ci.Count);
        Assert.Equal(0.91, (ci[0] + ci[1]) / 2, 9);
        Assert.Equal(4.302653 * 0.01 / Math.Sqrt(3), (ci[1] - ci[0]) / 2, 5);

        // The baseline cell has no difference to itself; B = 1024 is 0.10, 0.10 and 0.13 worse, paired by seed.
        Assert.Equal(JsonValueKind.Null, Cell(map, "toBaseline", 0).ValueKind);
        Assert.Equal(JsonValueKind.Null, Cell(map, "withinNoise", 0).ValueKind);
        var difference = Cell(map, "toBaseline", 1);
        Assert.Equal(0.11, difference.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(3, difference.GetProperty("n").GetInt32());
        Assert.True(difference.GetProperty("paired").GetBoolean());
        Assert.Equal(2, difference.GetProperty("ci95").GetArrayLength());
        Assert.False(Cell(map, "withinNoise", 1).GetBoolean());

        Assert.Equal(["running-stats"], Cell(map, "flags", 1).EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, Cell(map, "flags", 0).GetArrayLength());
        Assert.Equal(0, map.GetProperty("averagedOver").GetArrayLength());
    }

    [Fact]
    public async Task A_difference_inside_seed_noise_is_within_noise_and_an_unfixed_axis_is_listed_as_averaged()
    {
        var sweep = await CreateSeededAsync("heatmap-noise");

        // At regime 2, B = 1024 differs from the baseline by −0.025, 0.01 and −0.015: an interval around 0.
        var regime2 = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&regimeMultiplier=2");
        var averaged = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy");
        var faceted = await GetAsync(sweep, "x=batchSize&y=ghostBatchSize&metric=valAccuracy&facet=regimeMultiplier");

        Assert.True(Cell(regime2, "withinNoise", 1).GetBoolean());
        Assert.Equal(-0.01, Cell(regime2, "toBaseline", 1).GetProperty("mean").GetDouble(), 9);
        var axis = Assert.Single(averaged.GetProperty("averagedOver").EnumerateArray());
        Assert.Equal("regimeMultiplier", axis.GetProperty("axis").GetString());
        Assert.Equal(["1", "2"], axis.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([6, 6], averaged.GetProperty("count")[0].EnumerateArray().Select(c => c.GetInt32()));
        var panels = faceted.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("map")).ToList();
        Assert.False(Cell(panels[0], "withinNoise", 1).GetBoolean());
        Assert.True(Cell(panels[1], "withinNoise", 1).GetBoolean());
        Assert.Equal(3, Cell(panels[1], "count", 1).GetInt32());
    }

    [Fact]
    public async Task Trial_views_carry_the_guard_metrics_and_flags()
    {
        var sweep = await CreateSeededAsync("heatmap-guards");

        var detail = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}");
        var page = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/trials?batchSize=1024&regimeMultiplier=1&seed=1");

        var flagged = detail.GetProperty("trials").EnumerateArray()
            .Single(t => t.GetProperty("batchSize").GetInt32() == 1024 && t.GetProperty("regimeMultiplier").GetDouble() == 1 && t.GetProperty("seed").GetInt32() == 1);
        Assert.Equal(0.5, flagged.GetProperty("metrics").GetProperty("runningStatsInitialWeight").GetDouble());
        Assert.Equal(0.01, flagged.GetProperty("metrics").GetProperty("trainEvalModeDelta").GetDouble());
        Assert.Equal(["running-stats"], flagged.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var listed = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(["running-stats"], listed.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var trial = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{flagged.GetProperty("id").GetGuid()}");
        Assert.Equal(["running-stats"], trial.GetProperty("trial").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.All(
            detail.GetProperty("trials").EnumerateArray().Where(t => t.GetProperty("id").GetGuid() != flagged.GetProperty("id").GetGuid()),
            t => Assert.Equal(0, t.GetProperty("flags").GetArrayLength()));
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

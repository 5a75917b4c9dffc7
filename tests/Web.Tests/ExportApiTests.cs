using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>/sweeps/{id}/export/trials and /metrics as CSV and JSON, over rows written with SQL.</summary>
[Collection(SharedHost.Results)]
public sealed class ExportApiTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string TrialHeader =
        "trialId,batchSize,ghostBatchSize,regimeMultiplier,seed,lrScaling,gbnImplementation,runningStats,state,failureKind,currentEpoch," +
        "totalEpochs,attempt,startedAt,finishedAt,trainLoss,trainAccuracy,valLoss,valAccuracy,generalizationGap,weightDistance,steps,wallSeconds,error," +
        "runningTrainAccuracy,runningStatsInitialWeight,trainEvalModeDelta,peakRssMiB,cpuSeconds,flags";

    private const string MetricHeader = "trialId,batchSize,ghostBatchSize,regimeMultiplier,seed,lrScaling,gbnImplementation,runningStats,key,step,epoch,value,recordedAt";

    private async Task<(Guid Sweep, List<Guid> Trials)> CreateAsync(string name)
    {
        var body = $$$"""
            {"name":"{{{name}}}","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[]}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sweep = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
        return (id, sweep.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
    }

    /// <summary>Trial 0 completed with ordinary finals; trial 1 diverged with NaN and infinite finals and a message needing quotes.</summary>
    private async Task<(Guid Sweep, List<Guid> Trials)> CreateFinishedAsync(string name)
    {
        var (sweep, trials) = await CreateAsync(name);
        await factory.Database.ScalarAsync<int>(
            $"""
            UPDATE trials SET state = 'completed', current_epoch = 1, final_train_loss = 0.25, final_train_accuracy = 0.9, final_val_loss = 0.5,
                   final_val_accuracy = 0.875, final_generalization_gap = 0.025, final_weight_distance = 3.5, final_steps = 468, final_wall_seconds = 12.5,
                   started_at = '2026-11-27T10:00:00Z', finished_at = '2026-11-27T10:00:12.5Z'
             WHERE id = '{trials[0]}' RETURNING 1
            """);
        await factory.Database.ScalarAsync<int>(
            $"""
            UPDATE trials SET state = 'failed', failure_kind = 'diverged', error = 'Loss was "NaN", training stopped', final_train_loss = 'NaN',
                   final_val_loss = '-Infinity', final_weight_distance = 'Infinity'
             WHERE id = '{trials[1]}' RETURNING 1
            """);
        return (sweep, trials);
    }

    [Fact]
    public async Task Trials_csv_has_a_header_and_one_row_per_trial_with_NaN_spelled_out()
    {
        var (sweep, trials) = await CreateFinishedAsync("export-trials");

        var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/export/trials.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("export-trials-trials.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal(TrialHeader, lines[0]);
        Assert.Equal(4, lines.Length); // header, two trials, and the empty string after the last CRLF
        Assert.Equal("", lines[3]);

        Assert.Equal(
            $"{trials[0]},128,128,1,1,sqrt,vectorized,sequential,completed,,1,1,0,2026-11-27T10:00:00.0000000+00:00,2026-11-27T10:00:12.5000000+00:00," +
            // No guard input was recorded: the running-statistics weight is derived from its 468 steps, 0.9^468.
            // Nor resource use: peakRssMiB and cpuSeconds are empty.
            $"0.25,0.9,0.5,0.875,0.025,3.5,468,12.5,,,{Math.Pow(0.9, 468).ToString("R", System.Globalization.CultureInfo.InvariantCulture)},,,,",
            lines[1]);
        Assert.Equal(
            $"{trials[1]},256,128,1,1,sqrt,vectorized,sequential,failed,diverged,0,1,0,,,NaN,,-Infinity,,,Infinity,,," +
            "\"Loss was \"\"NaN\"\", training stopped\",,,,,,",
            lines[2]);
    }

    [Fact]
    public async Task Trials_json_is_an_array_with_grid_values_state_failure_and_finals()
    {
        var (sweep, trials) = await CreateFinishedAsync("export-trials-json");

        var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/export/trials.json");

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var rows = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(trials, rows.Select(r => r.GetProperty("trialId").GetGuid()));
        Assert.Equal(0.875, rows[0].GetProperty("valAccuracy").GetDouble());
        Assert.Equal(468, rows[0].GetProperty("steps").GetInt64());
        Assert.Equal("failed", rows[1].GetProperty("state").GetString());
        Assert.Equal("diverged", rows[1].GetProperty("failureKind").GetString());
        Assert.Equal(256, rows[1].GetProperty("batchSize").GetInt32());
        Assert.Equal("NaN", rows[1].GetProperty("trainLoss").GetString());
        Assert.Equal("-Infinity", rows[1].GetProperty("valLoss").GetString());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("valAccuracy").ValueKind);
    }

    [Fact]
    public async Task Metrics_csv_streams_the_full_history_in_trial_key_step_order()
    {
        var (sweep, trials) = await CreateAsync("export-metrics");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trials[0]}', 'valLoss', s, s / 100, CASE WHEN s = 7 THEN 'NaN'::float8 ELSE s * 0.5 END, '2026-11-27T10:00:00Z' FROM generate_series(0, 99999) s RETURNING 1");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trials[1]}', k, 0, 0, 'Infinity', now() FROM unnest(array['trainLoss', 'learningRate']) k RETURNING 1");

        var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/export/metrics.csv", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Null(response.Content.Headers.ContentLength); // written as it is read, not buffered to a length
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(MetricHeader, await reader.ReadLineAsync());
        var rows = new List<string[]>();
        while (await reader.ReadLineAsync() is { } line)
        {
            rows.Add(line.Split(','));
        }

        Assert.Equal(100_002, rows.Count);
        var first = rows.Where(r => r[0] == trials[0].ToString()).ToList();
        Assert.Equal(100_000, first.Count);
        Assert.Equal(Enumerable.Range(0, 100_000).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)), first.Select(r => r[9]));
        Assert.Equal(["valLoss", "7", "0", "NaN", "2026-11-27T10:00:00.0000000+00:00"], first[7][8..]);
        Assert.Equal("49999.5", first[^1][11]);
        Assert.Equal(["128", "128", "1", "1", "sqrt", "vectorized", "sequential"], first[0][1..8]);
        var second = rows.Where(r => r[0] == trials[1].ToString()).ToList();
        Assert.Equal(["learningRate", "trainLoss"], second.Select(r => r[8]));
        Assert.All(second, r => Assert.Equal("Infinity", r[11]));
    }

    [Fact]
    public async Task Metrics_json_is_an_array_of_points_with_NaN_as_a_string()
    {
        var (sweep, trials) = await CreateAsync("export-metrics-json");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) SELECT '{trials[1]}', 'valAccuracy', s, s, CASE WHEN s = 2 THEN 'NaN'::float8 ELSE s / 10.0 END, now() FROM generate_series(0, 4) s RETURNING 1");

        var rows = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/export/metrics.json")).EnumerateArray().ToList();

        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(trials[1], r.GetProperty("trialId").GetGuid()));
        Assert.All(rows, r => Assert.Equal(256, r.GetProperty("batchSize").GetInt32()));
        Assert.Equal([0L, 1, 2, 3, 4], rows.Select(r => r.GetProperty("step").GetInt64()));
        Assert.Equal("NaN", rows[2].GetProperty("value").GetString());
        Assert.Equal(0.3, rows[3].GetProperty("value").GetDouble(), 1e-12);
        Assert.Equal("valAccuracy", rows[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task Trials_exports_carry_the_latest_guard_metrics_and_the_flags_they_raise()
    {
        var (sweep, trials) = await CreateFinishedAsync("export-guards");
        await factory.Database.ScalarAsync<int>(
            $"""
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            VALUES ('{trials[0]}', 'runningStatsInitialWeight', 10, 0, 0.9, now()), ('{trials[0]}', 'runningStatsInitialWeight', 468, 1, 0.25, now()),
                   ('{trials[0]}', 'trainEvalModeDelta', 468, 1, -0.125, now()), ('{trials[0]}', 'runningTrainAccuracy', 468, 1, 0.75, now()),
                   ('{trials[0]}', 'peakRssMiB', 0, 0, 640, now()), ('{trials[0]}', 'peakRssMiB', 468, 1, 812, now()),
                   ('{trials[0]}', 'cpuSeconds', 468, 1, 3.25, now())
            RETURNING 1
            """);

        var lines = (await _client.GetStringAsync($"/api/v1/sweeps/{sweep}/export/trials.csv")).Split("\r\n");
        var rows = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/export/trials.json")).EnumerateArray().ToList();

        Assert.EndsWith(",12.5,,0.75,0.25,-0.125,812,3.25,running-stats;train-eval-mismatch", lines[1]);
        Assert.EndsWith(",,,,", lines[2]);
        Assert.Equal(0.25, rows[0].GetProperty("runningStatsInitialWeight").GetDouble());
        Assert.Equal(-0.125, rows[0].GetProperty("trainEvalModeDelta").GetDouble());
        Assert.Equal(0.75, rows[0].GetProperty("runningTrainAccuracy").GetDouble());
        Assert.Equal(812, rows[0].GetProperty("peakRssMiB").GetDouble());
        Assert.Equal(3.25, rows[0].GetProperty("cpuSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("peakRssMiB").ValueKind);
        Assert.Equal(["running-stats", "train-eval-mismatch"], rows[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, rows[1].GetProperty("flags").GetArrayLength());
    }

    /// <summary>
    /// B ∈ {128, 256} × seeds 1–3 (B_ref = 128): validation accuracy 0.90 0.91 0.92 and 0.85 0.86 0.84, train accuracy
    /// 0.99 at B = 128 and 0.95 at 256 (a 4-point deficit behind a 6-point gap: optimization); B = 256 seed 3 ran 50 steps.
    /// </summary>
    [Fact]
    public async Task Cells_export_summarizes_each_configuration_over_seeds_against_the_baseline()
    {
        var body = """
            {"name":"export-cells","grid":{"batchSize":[128,256],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"referenceBatchSize":128,"seeds":[1,2,3]}}
            """;
        var created = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        var sweep = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await factory.Database.ScalarAsync<int>(
            $"""
            UPDATE trials t SET state = 'completed', current_epoch = 1, final_val_accuracy = v.val, final_train_accuracy = v.train, final_steps = v.steps
              FROM (VALUES (128, 1, 0.90, 0.99, 1000), (128, 2, 0.91, 0.99, 1000), (128, 3, 0.92, 0.99, 1000),
                           (256, 1, 0.85, 0.95, 1000), (256, 2, 0.86, 0.95, 1000), (256, 3, 0.84, 0.95, 50)) v(batch, seed, val, train, steps)
             WHERE t.sweep_id = '{sweep}' AND t.batch_size = v.batch AND t.seed = v.seed RETURNING 1
            """);

        var lines = (await _client.GetStringAsync($"/api/v1/sweeps/{sweep}/export/cells.csv")).Split("\r\n");
        var rows = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/export/cells.json")).EnumerateArray().ToList();

        Assert.Equal(
            "batchSize,ghostBatchSize,regimeMultiplier,lrScaling,gbnImplementation,runningStats,metric,n,mean,std,ci95Low,ci95High," +
            "toBaselineMean,toBaselineLow,toBaselineHigh,toBaselinePaired,withinNoise,flags",
            lines[0]);
        Assert.Equal(2 * 8, rows.Count); // two cells × the eight final metrics
        var baseline = rows.Single(r => r.GetProperty("batchSize").GetInt32() == 128 && r.GetProperty("metric").GetString() == "valAccuracy");
        Assert.Equal(3, baseline.GetProperty("n").GetInt32());
        Assert.Equal(0.91, baseline.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(0.01, baseline.GetProperty("std").GetDouble(), 9);
        Assert.True(baseline.GetProperty("ci95Low").GetDouble() < 0.91 && baseline.GetProperty("ci95High").GetDouble() > 0.91);
        Assert.Equal(JsonValueKind.Null, baseline.GetProperty("toBaselineMean").ValueKind);
        Assert.Equal(0, baseline.GetProperty("flags").GetArrayLength());

        var large = rows.Single(r => r.GetProperty("batchSize").GetInt32() == 256 && r.GetProperty("metric").GetString() == "valAccuracy");
        Assert.Equal(0.06, large.GetProperty("toBaselineMean").GetDouble(), 9); // SB − cell: positive is worse than SB
        Assert.True(large.GetProperty("toBaselinePaired").GetBoolean());
        Assert.True(large.GetProperty("toBaselineLow").GetDouble() > 0);
        Assert.False(large.GetProperty("withinNoise").GetBoolean());
        Assert.Equal(["few-updates", "optimization-gap"], large.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var csvLarge = lines.Single(l => l.StartsWith("256,128,1,sqrt,vectorized,sequential,valAccuracy,3,", StringComparison.Ordinal));
        Assert.EndsWith(",true,false,few-updates;optimization-gap", csvLarge);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}/export/cells.csv")).StatusCode);
    }

    [Fact]
    public async Task An_empty_sweep_exports_a_header_or_an_empty_array_and_an_unknown_sweep_is_404()
    {
        var (sweep, _) = await CreateAsync("export-empty");

        Assert.Equal(MetricHeader + "\r\n", await _client.GetStringAsync($"/api/v1/sweeps/{sweep}/export/metrics.csv"));
        Assert.Equal(0, (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweep}/export/metrics.json")).GetArrayLength());
        foreach (var file in new[] { "trials.csv", "trials.json", "metrics.csv", "metrics.json" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/sweeps/{Guid.NewGuid()}/export/{file}")).StatusCode);
        }
    }
}

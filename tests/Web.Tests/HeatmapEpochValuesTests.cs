using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// The heatmap at epoch N and at best, against means computed here from the very points stored in PostgreSQL:
/// 3 batch sizes × 2 regimes (3 and 6 epochs) × 3 seeds, three keys per trial, a mid-epoch weight distance after
/// every end-of-epoch one, and a second sweep on the same cells. A read of the wrong step, key, epoch or sweep
/// changes the numbers, so this pins the values that the query behind at=epoch:N and at=best must return.
/// </summary>
[Collection(SharedHost.Results)]
public sealed class HeatmapEpochValuesTests(SweepWebFactory factory)
{
    private static readonly int[] BatchSizes = [128, 256, 512];
    private static readonly int[] Regimes = [1, 2];
    private static readonly int[] Seeds = [1, 2, 3];
    private static readonly string[] Keys = ["valAccuracy", "trainLoss", "weightDistance"];
    private const int BaseEpochs = 3;

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Each_cell_at_each_epoch_is_the_mean_over_its_seeds_of_the_end_of_epoch_points()
    {
        var (sweep, points) = await CreateAsync("epoch-values", offset: 0);
        await CreateAsync("epoch-values-other", offset: 500); // the same cells, other values: none may leak in

        foreach (var key in new[] { "valAccuracy", "weightDistance" })
        {
            for (var epoch = 0; epoch <= BaseEpochs * Regimes.Max() + 1; epoch++)
            {
                var map = await GetAsync(sweep, $"metric={key}&at=epoch:{epoch}");
                AssertCells(map, (batch, regime) => Mean(points, key, batch, regime, p => p.Epoch == epoch && p.Step == epoch * 10), $"{key} at epoch {epoch}");
            }
        }
    }

    [Fact]
    public async Task At_best_each_cell_is_the_mean_over_its_seeds_of_each_trials_best_trained_epoch()
    {
        var (sweep, points) = await CreateAsync("best-values", offset: 0);
        await CreateAsync("best-values-other", offset: 500);

        var accuracy = await GetAsync(sweep, "metric=valAccuracy&at=best");
        var loss = await GetAsync(sweep, "metric=trainLoss&at=best");

        AssertCells(accuracy, (batch, regime) => MeanOfBest(points, "valAccuracy", batch, regime, v => v.Max()), "best valAccuracy");
        AssertCells(loss, (batch, regime) => MeanOfBest(points, "trainLoss", batch, regime, v => v.Min()), "best trainLoss");
    }

    private sealed record Point(int Batch, int Regime, int Seed, string Key, long Step, int Epoch, double Value);

    /// <summary>A finished sweep whose trials recorded, per epoch e: each key at step 10·e, and a weight distance at 10·e + 5 tagged e.</summary>
    private async Task<(Guid Sweep, List<Point> Points)> CreateAsync(string name, int offset)
    {
        var body = $$$"""
            {"name":"{{{name}}}-{{{Guid.NewGuid():N}}}","dataset":"fashion-mnist","model":"f1",
             "grid":{"batchSize":[128,256,512],"ghostBatchSize":[128],"regimeMultiplier":[1,2]},
             "training":{"epochs":{{{BaseEpochs}}},"referenceBatchSize":128,"lrDropEpochs":[],"seeds":[1,2,3]}}
            """;
        var response = await _client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sweep = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var points = new List<Point>();
        foreach (var batch in BatchSizes)
        {
            foreach (var regime in Regimes)
            {
                foreach (var seed in Seeds)
                {
                    points.AddRange(await RecordAsync(sweep, batch, regime, seed, offset));
                }
            }
        }

        return (sweep, points);
    }

    private async Task<List<Point>> RecordAsync(Guid sweep, int batch, int regime, int seed, int offset)
    {
        var epochs = BaseEpochs * regime;
        var points = new List<Point>();
        for (var epoch = 0; epoch <= epochs; epoch++)
        {
            foreach (var key in Keys)
            {
                points.Add(new Point(batch, regime, seed, key, epoch * 10, epoch, ValueOf(batch, regime, seed, key, epoch * 10, offset)));
            }

            if (epoch < epochs)
            {
                points.Add(new Point(batch, regime, seed, "weightDistance", epoch * 10 + 5, epoch, ValueOf(batch, regime, seed, "weightDistance", epoch * 10 + 5, offset)));
            }
        }

        var trial = await factory.Database.ScalarAsync<string>(
            $"""
            UPDATE trials SET state = 'completed', current_epoch = {epochs}, final_val_accuracy = {Sql(points.Last(p => p.Key == "valAccuracy").Value)}
             WHERE sweep_id = '{sweep}' AND batch_size = {batch} AND regime_multiplier = {regime} AND seed = {seed} RETURNING id::text
            """);
        // Newest first, so that the rows' physical order is not the order the index reads them in.
        var rows = points.OrderByDescending(p => p.Step).Select(p => $"('{trial}', '{p.Key}', {p.Step}, {p.Epoch}, {Sql(p.Value)}, now())");
        await factory.Database.ScalarAsync<int>(
            $"INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at) VALUES {string.Join(", ", rows)} RETURNING 1");
        return points;
    }

    /// <summary>A value unique enough per (cell, seed, key, step) that a read of another point gives another mean.</summary>
    private static double ValueOf(int batch, int regime, int seed, string key, long step, int offset) =>
        (((batch * 7 + regime * 131 + seed * 1009 + Array.IndexOf(Keys, key) * 7919 + step * 37 + offset) % 997) + 1) / 1000.0;

    private static string Sql(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double? Mean(List<Point> points, string key, int batch, int regime, Func<Point, bool> at)
    {
        var values = points.Where(p => p.Batch == batch && p.Regime == regime && p.Key == key && at(p)).Select(p => p.Value).ToList();
        Assert.True(values.Count is 0 or 3, $"{values.Count} seeds matched; expected each seed's one end-of-epoch point");
        return values.Count == 0 ? null : values.Average();
    }

    private static double? MeanOfBest(List<Point> points, string key, int batch, int regime, Func<IEnumerable<double>, double> best) =>
        Seeds.Select(seed => best(points.Where(p => p.Batch == batch && p.Regime == regime && p.Seed == seed && p.Key == key && p.Epoch > 0).Select(p => p.Value))).Average();

    private async Task<JsonElement> GetAsync(Guid sweep, string query)
    {
        var response = await _client.GetAsync($"/api/v1/sweeps/{sweep}/heatmap?x=batchSize&y=regimeMultiplier&{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static void AssertCells(JsonElement map, Func<int, int, double?> expected, string what)
    {
        Assert.Equal(BatchSizes.Select(b => (double)b), map.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(Regimes.Select(r => (double)r), map.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        for (var y = 0; y < Regimes.Length; y++)
        {
            for (var x = 0; x < BatchSizes.Length; x++)
            {
                var cell = map.GetProperty("z")[y][x];
                var actual = cell.ValueKind == JsonValueKind.Null ? (double?)null : cell.GetDouble();
                var want = expected(BatchSizes[x], Regimes[y]);
                Assert.True(want is null ? actual is null : actual is { } a && Math.Abs(a - want.Value) < 1e-12,
                    $"{what}, batch {BatchSizes[x]}, regime {Regimes[y]}: {actual?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}, expected {want?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}");
            }
        }
    }
}

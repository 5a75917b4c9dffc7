using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// The walking skeleton end to end: the API stores a sweep and enqueues its trials in Hangfire on PostgreSQL; a
/// separate worker process claims each trial and trains it with TorchSharp on Fashion-MNIST in a child process;
/// the per-epoch metrics land in PostgreSQL and come back through the API.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class EndToEndTests(SweepWebFactory factory, ITestOutputHelper output) : IClassFixture<SweepWebFactory>
{
    // The first libtorch load on a cold disk cache alone can take 30 s.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_two_cell_sweep_trains_for_real_and_its_metrics_come_back()
    {
        var clock = Stopwatch.StartNew();
        using var worker = new WorkerProcess(factory.Database.ConnectionString, "e2e-worker");
        var client = factory.CreateClient();
        const string body = """
            {
              "name": "e2e-two-cells",
              "dataset": "fashion-mnist",
              "model": "f1",
              "grid": { "batchSize": [64, 128], "ghostBatchSize": [32], "regimeMultiplier": [1] },
              "training": {
                "epochs": 1, "learningRate": 0.1, "referenceBatchSize": 128, "lrScaling": "sqrt",
                "momentum": 0.9, "weightDecay": 0.0001, "lrDropEpochs": [], "lrDropFactor": 0.1,
                "gradientClipNorm": 5.0, "seeds": [1], "trainSubset": 1000
              }
            }
            """;
        var response = await client.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        JsonElement sweep;
        do
        {
            Assert.False(worker.HasExited, "The worker process exited:\n" + worker.Output);
            Assert.True(clock.Elapsed < Timeout, "The trials did not finish in time. Worker output:\n" + worker.Output);
            await Task.Delay(500);
            sweep = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        }
        while (sweep.GetProperty("trials").EnumerateArray().Any(t => t.GetProperty("state").GetString() is "queued" or "running"));

        output.WriteLine($"End-to-end wall time: {clock.Elapsed.TotalSeconds:F1} s");
        var trials = sweep.GetProperty("trials").EnumerateArray().ToList();
        Assert.All(trials, t => Assert.True(t.GetProperty("state").GetString() == "completed", $"trial failed: {t}\n{worker.Output}"));
        foreach (var trial in trials)
        {
            var metrics = trial.GetProperty("metrics");
            foreach (var key in new[] { "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "generalizationGap", "weightDistance", "steps", "wallSeconds" })
            {
                Assert.True(metrics.TryGetProperty(key, out _), $"final metric {key} is missing");
            }

            Assert.InRange(metrics.GetProperty("trainAccuracy").GetDouble(), 0, 1);
            Assert.InRange(metrics.GetProperty("valAccuracy").GetDouble(), 0, 1);
            Assert.True(double.IsFinite(metrics.GetProperty("valLoss").GetDouble()));
            Assert.Equal(1000 / trial.GetProperty("batchSize").GetInt32(), metrics.GetProperty("steps").GetInt32());

            var id = trial.GetProperty("id").GetGuid();
            var perEpoch = await TrainLossByEpochAsync(id);
            Assert.Equal([0, 1], perEpoch.Keys);
            Assert.True(perEpoch[1] < perEpoch[0], $"training loss did not fall: {perEpoch[0]} → {perEpoch[1]}");
            Assert.Equal(0L, await factory.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM metric_points WHERE trial_id = '{id}' AND key IN ('valAccuracy','trainAccuracy') AND (value < 0 OR value > 1)"));
        }

        var heatmap = await client.GetFromJsonAsync<JsonElement>($"{response.Headers.Location}/heatmap?x=batchSize&y=ghostBatchSize&metric=valAccuracy");
        Assert.All(heatmap.GetProperty("z")[0].EnumerateArray(), v => Assert.InRange(v.GetDouble(), 0, 1));
    }

    private async Task<SortedDictionary<int, double>> TrainLossByEpochAsync(Guid trialId)
    {
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT epoch, value FROM metric_points WHERE trial_id = @id AND key = 'trainLoss' ORDER BY epoch", connection);
        command.Parameters.AddWithValue("id", trialId);
        await using var reader = await command.ExecuteReaderAsync();
        var losses = new SortedDictionary<int, double>();
        while (await reader.ReadAsync())
        {
            losses.Add(reader.GetInt32(0), reader.GetDouble(1));
        }

        return losses;
    }
}

using System.Diagnostics;
using Npgsql;
using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// Faults on real processes and a real PostgreSQL: a worker killed mid-trial, the database restarted, a sweep
/// cancelled while training, two workers racing for the same cells, and trials that diverge or run out of memory.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class FaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    // About a second per epoch here: 2,000 samples in batches of 50, then a clean pass over train and test sets.
    private const string SlowTraining = """{ "epochs": 8, "lrDropEpochs": [], "seeds": [1], "trainSubset": 2000 }""";

    [Fact]
    public async Task A_worker_killed_mid_trial_is_replaced_and_the_trial_resumes_from_its_checkpoint()
    {
        await using var harness = await FaultHarness.StartAsync();
        var first = harness.StartWorker("doomed");
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("kill", """{ "batchSize": [50], "ghostBatchSize": [25] }""", SlowTraining));

        var before = await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t.CheckpointEpoch >= 2 && t.State == "running"),
            Long, "a checkpoint after epoch 2");
        first.KillHard();
        var killedAt = DateTime.UtcNow;
        output.WriteLine($"Killed the worker after epoch {before.CheckpointEpoch}.");

        harness.StartWorker("rescuer");
        var after = (await harness.WaitForFinalAsync(sweepId, Long)).Single();

        Assert.True(after.State == "completed", $"{after}\n{harness.WorkerOutput()}");
        Assert.Equal(2, after.Attempt);
        await using var connection = new NpgsqlConnection(harness.Database.ConnectionString);
        await connection.OpenAsync();

        // One row per epoch and key, and the epochs finished before the kill were not trained again.
        Assert.Equal(9L, await Scalar<long>(connection, $"SELECT count(*) FROM metric_points WHERE trial_id = '{after.Id}' AND key = 'trainLoss'"));
        var lastEarlyWrite = await Scalar<DateTime>(connection,
            $"SELECT max(recorded_at) FROM metric_points WHERE trial_id = '{after.Id}' AND key = 'trainLoss' AND epoch <= {before.CheckpointEpoch}");
        Assert.True(lastEarlyWrite < killedAt, "an epoch before the kill was recorded again after it");
        Assert.Contains("resumes after epoch", harness.WorkerOutput());
    }

    [Fact]
    public async Task Workers_ride_out_a_PostgreSQL_restart_and_every_trial_completes()
    {
        await using var harness = await FaultHarness.StartAsync();
        harness.StartWorker("steadfast");
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("restart", """{ "batchSize": [50, 100], "ghostBatchSize": [25] }""", SlowTraining.Replace("\"epochs\": 8", "\"epochs\": 5")));
        await harness.WaitForAsync(async () => (await harness.TrialsAsync(sweepId)).FirstOrDefault(t => t.CurrentEpoch >= 1), Long, "a trial to train an epoch");

        var server = PostgresServer.FromEnvironment();
        await server.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await server.StartAsync();
        NpgsqlConnection.ClearAllPools();
        output.WriteLine("PostgreSQL was down for 4 s.");

        var trials = await harness.WaitForFinalAsync(sweepId, Long);
        Assert.All(trials, t => Assert.True(t.State == "completed", $"{t}\n{harness.WorkerOutput()}"));
    }

    [Fact]
    public async Task Cancelling_a_running_sweep_stops_its_trainers_within_10_seconds_and_keeps_partial_metrics()
    {
        await using var harness = await FaultHarness.StartAsync();
        var worker = harness.StartWorker("cancellable");
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("cancel", """{ "batchSize": [50, 100], "ghostBatchSize": [25] }""", SlowTraining.Replace("\"epochs\": 8", "\"epochs\": 30")));
        var running = await harness.WaitForAsync(async () => (await harness.TrialsAsync(sweepId)).FirstOrDefault(t => t.State == "running" && t.CurrentEpoch >= 1), Long, "a trial to train an epoch");
        Assert.NotEmpty(worker.TrainerPids());

        var clock = Stopwatch.StartNew();
        var response = await harness.Client.PostAsync($"/api/v1/sweeps/{sweepId}/cancel", null);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        while (worker.TrainerPids().Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
        }

        output.WriteLine($"Trainers gone {clock.Elapsed.TotalSeconds:F1} s after the cancel.");
        Assert.Empty(worker.TrainerPids());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"trainers took {clock.Elapsed.TotalSeconds:F1} s to stop");
        var trials = await harness.TrialsAsync(sweepId);
        Assert.All(trials, t => Assert.Equal("cancelled", t.State));
        Assert.True(await harness.Database.ScalarAsync<long>($"SELECT count(*) FROM metric_points WHERE trial_id = '{running.Id}' AND epoch >= 1") > 0);
    }

    [Fact]
    public async Task Two_workers_on_twelve_cells_run_every_cell_exactly_once()
    {
        await using var harness = await FaultHarness.StartAsync();
        // Two workers on this machine's cores: one libtorch thread each, as `./sweep up` splits them.
        var settings = new Dictionary<string, string> { ["Worker__DataDir"] = harness.SmallData, ["Worker__TrainerThreads"] = "1" };
        harness.StartWorker("left", settings);
        harness.StartWorker("right", settings);
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep(
            "race", """{ "batchSize": [50, 100, 125, 250], "ghostBatchSize": [25] }""",
            """{ "epochs": 1, "lrDropEpochs": [], "seeds": [1, 2, 3], "trainSubset": 500 }"""));

        var trials = await harness.WaitForFinalAsync(sweepId, Long);

        Assert.Equal(12, trials.Count);
        Assert.All(trials, t => Assert.True(t.State == "completed" && t.Attempt == 1, $"{t}\n{harness.WorkerOutput()}"));
        Assert.Equal(12L, await harness.Database.ScalarAsync<long>($"SELECT count(DISTINCT trial_id) FROM metric_points WHERE key = 'trainLoss' AND epoch = 1"));
        Assert.Equal(24L, await harness.Database.ScalarAsync<long>($"SELECT count(*) FROM metric_points WHERE key = 'trainLoss'"));
        Assert.Equal(12L, await harness.Database.ScalarAsync<long>("SELECT sum(trials_run) FROM workers"));
    }

    [Fact]
    public async Task Diverged_and_out_of_memory_trials_fail_with_their_reason_are_not_retried_and_siblings_finish()
    {
        await using var harness = await FaultHarness.StartAsync();
        harness.StartWorker("healthy");

        // This worker serves only the cuda queue and caps its trainers at 300 MB: every trial it takes runs out of memory.
        harness.StartWorker("cramped", new() { ["Worker__Queues__0"] = "cuda", ["Worker__TrainerMemoryLimitMb"] = "300" });

        var healthy = await harness.PostSweepAsync(FaultHarness.Sweep(
            "siblings", """{ "batchSize": [50, 100], "ghostBatchSize": [25] }""",
            """{ "epochs": 2, "lrDropEpochs": [], "seeds": [1], "trainSubset": 500 }"""));
        var diverging = await harness.PostSweepAsync(FaultHarness.Sweep(
            "diverging", """{ "batchSize": [50], "ghostBatchSize": [50] }""",
            """{ "epochs": 3, "learningRate": 1e30, "gradientClipNorm": null, "lrDropEpochs": [], "seeds": [1], "trainSubset": 500 }"""));
        var starved = await harness.PostSweepAsync(FaultHarness.Sweep(
            "starved", """{ "batchSize": [50], "ghostBatchSize": [25] }""",
            """{ "epochs": 2, "lrDropEpochs": [], "seeds": [1, 2, 3], "trainSubset": 500 }""", extra: """, "device": "cuda" """));

        var diverged = (await harness.WaitForFinalAsync(diverging, Long)).Single();
        var oom = await harness.WaitForFinalAsync(starved, Long);
        var siblings = await harness.WaitForFinalAsync(healthy, Long);

        Assert.Equal(("failed", "diverged", 1), (diverged.State, diverged.FailureKind, diverged.Attempt));
        Assert.All(oom, t => Assert.True(t is { State: "failed", FailureKind: "out-of-memory", Attempt: 1 }, $"{t}\n{harness.WorkerOutput()}"));
        Assert.All(siblings, t => Assert.Equal("completed", t.State));

        // Running out of memory is the cells' own failure, not the worker's (issue 15): three in a row pause no one.
        var workers = await harness.Database.ScalarAsync<string>("SELECT string_agg(name || '=' || state, '|' ORDER BY name) FROM workers");
        Assert.Equal("cramped=active|healthy=active", workers);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

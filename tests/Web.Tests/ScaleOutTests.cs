using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// Scale-out on one machine: three worker processes standing in for three hosts, each started from its own
/// configuration directory, share one PostgreSQL and its Hangfire queues.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_workers_share_a_twelve_cell_sweep_and_every_cell_runs_exactly_once()
    {
        await using var harness = await FaultHarness.StartAsync();
        var hosts = Directory.CreateTempSubdirectory("sweep-hosts-").FullName;
        try
        {
            foreach (var host in new[] { "host-a", "host-b", "host-c" })
            {
                harness.StartWorkerFromDirectory($"{host}-cpu", Path.Combine(hosts, host), harness.SmallData);
            }

            await harness.WaitForAsync(async () =>
                await harness.Database.ScalarAsync<long>("SELECT count(*) FROM workers WHERE state = 'active'") == 3 ? "ready" : null,
                TimeSpan.FromMinutes(1), "three workers to register");

            var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep(
                "scale-out", """{ "batchSize": [50, 100, 125, 250], "ghostBatchSize": [25] }""",
                """{ "epochs": 2, "lrDropEpochs": [], "seeds": [1, 2, 3], "trainSubset": 1000 }"""));
            var trials = await harness.WaitForFinalAsync(sweepId, TimeSpan.FromMinutes(4));

            Assert.Equal(12, trials.Count);
            Assert.All(trials, t => Assert.True(t is { State: "completed", Attempt: 1 }, $"{t}\n{harness.WorkerOutput()}"));
            Assert.Equal(12L * 3, await harness.Database.ScalarAsync<long>("SELECT count(*) FROM metric_points WHERE key = 'valAccuracy'"));

            // A worker counts a trial after the trial's row is final, so the last count may trail the sweep's end.
            await harness.WaitForAsync(async () =>
                await harness.Database.ScalarAsync<long>("SELECT sum(trials_run) FROM workers") == 12 ? "counted" : null,
                TimeSpan.FromSeconds(30), "the workers to count all twelve trials");
            var spread = await harness.Database.ScalarAsync<string>("SELECT string_agg(name || '=' || trials_run, ', ' ORDER BY name) FROM workers");
            output.WriteLine($"Trials per worker: {spread}");
            Assert.Equal(0L, await harness.Database.ScalarAsync<long>("SELECT count(*) FROM workers WHERE trials_run = 0"));
        }
        finally
        {
            Directory.Delete(hosts, recursive: true);
        }
    }
}

using System.Diagnostics;
using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// The worker's own faults, on real processes and a real PostgreSQL: a lease it cannot renew, an event it cannot
/// store, a trainer that hangs, a SIGTERM mid-epoch, and cells too big for the device.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class WorkerFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>The harness's lease (<see cref="FaultHarness.StartWorker"/>).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);

    // About a second per epoch here: 2,000 samples in batches of 50, then a clean pass over train and test sets.
    private static string Training(int epochs, int subset = 2000) =>
        $$"""{ "epochs": {{epochs}}, "lrDropEpochs": [], "seeds": [1], "trainSubset": {{subset}} }""";

    private const string OneCell = """{ "batchSize": [50], "ghostBatchSize": [25] }""";

    [Fact]
    public async Task A_worker_that_cannot_renew_its_lease_kills_its_trainer_and_the_trial_resumes_when_the_database_returns()
    {
        await using var harness = await FaultHarness.StartAsync();
        var worker = harness.StartWorker("cut-off");
        // Enough epochs that the trainer is still training when the lease runs out (a faster step once let 6 epochs
        // finish inside the partition, and the trial completed on its first attempt).
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("partition", OneCell, Training(epochs: 20)));
        await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t.CheckpointEpoch >= 1 && worker.TrainerPids().Count > 0),
            Long, "a checkpoint and a running trainer");

        var server = PostgresServer.FromEnvironment();
        await server.StopAsync();
        var clock = Stopwatch.StartNew();
        try
        {
            while (worker.TrainerPids().Count > 0 && clock.Elapsed < Lease * 3)
            {
                await Task.Delay(100);
            }

            output.WriteLine($"The trainer was gone {clock.Elapsed.TotalSeconds:F1} s after PostgreSQL stopped.");
            Assert.True(worker.TrainerPids().Count == 0, $"the trainer outlived the lease\n{harness.WorkerOutput()}");
            Assert.True(clock.Elapsed < Lease + TimeSpan.FromSeconds(3), $"the trainer took {clock.Elapsed.TotalSeconds:F1} s to go");
            Assert.False(worker.HasExited);
        }
        finally
        {
            await server.StartAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        var trial = (await harness.WaitForFinalAsync(sweepId, Long)).Single();
        Assert.True(trial is { State: "completed", Attempt: 2 }, $"{trial}\n{harness.WorkerOutput()}");
        Assert.Contains("without a lease renewal", harness.WorkerOutput());
        Assert.Contains("resumes after epoch", harness.WorkerOutput());
    }

    [Fact]
    public async Task A_store_failure_mid_trial_kills_and_reaps_the_trainer_and_the_worker_takes_the_next_trial()
    {
        await using var harness = await FaultHarness.StartAsync();
        var worker = harness.StartWorker("unlucky");
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("refused", """{ "batchSize": [50, 100], "ghostBatchSize": [25] }""", Training(epochs: 4)));
        var doomed = await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).FirstOrDefault(t => t is { State: "running", CurrentEpoch: >= 1 } && worker.TrainerPids().Count > 0),
            Long, "a trial to train an epoch");
        var trainers = worker.TrainerPids();

        // From now on every metric write of that trial breaks a constraint: a non-transient error, not retried.
        await harness.Database.ScalarAsync<object>(
            $"ALTER TABLE metric_points ADD CONSTRAINT refuse_doomed_trial CHECK (trial_id <> '{doomed.Id}') NOT VALID");
        var failed = await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t.Id == doomed.Id && t.State == "failed"),
            Long, "the trial to fail");

        // The failure is recorded only after its trainer was killed and reaped.
        Assert.All(trainers, pid => Assert.False(WorkerProcess.Exists(pid), $"trainer {pid} outlived its trial's failure"));
        Assert.Equal("error", failed.FailureKind);
        Assert.Contains("refuse_doomed_trial", failed.Error);

        var trials = await harness.WaitForFinalAsync(sweepId, Long);
        Assert.True(trials.Single(t => t.Id != doomed.Id).State == "completed", harness.WorkerOutput());
        Assert.False(worker.HasExited);
        Assert.Empty(worker.TrainerPids());
    }

    [Fact]
    public async Task A_trainer_that_stops_writing_is_killed_and_its_trial_fails_as_stalled()
    {
        await using var harness = await FaultHarness.StartAsync();
        const int minimum = 12;
        var worker = harness.StartWorker("watched", new() { ["Worker__StallMinimumSeconds"] = $"{minimum}" });
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("hang", OneCell, Training(epochs: 30)));
        await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t.CurrentEpoch >= 2 && worker.TrainerPids().Count > 0),
            Long, "two epochs, so that one has been timed");

        // A stopped process holds its lease (the worker still renews it) and writes nothing: a hung device call.
        var trainer = worker.TrainerPids().Single();
        WorkerProcess.Signal(trainer, "STOP");
        var clock = Stopwatch.StartNew();

        var trial = (await harness.WaitForFinalAsync(sweepId, Long)).Single();
        output.WriteLine($"Failed {clock.Elapsed.TotalSeconds:F1} s after the trainer stopped: {trial.Error}");
        Assert.True(trial is { State: "failed", FailureKind: "stalled" }, $"{trial}\n{harness.WorkerOutput()}");
        Assert.Contains("threshold", trial.Error);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(minimum - 1), $"killed after only {clock.Elapsed.TotalSeconds:F1} s");
        Assert.False(WorkerProcess.Exists(trainer));
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task SIGTERM_drains_the_worker_and_the_trial_resumes_elsewhere_from_that_epoch_with_its_attempt_count_unchanged()
    {
        await using var harness = await FaultHarness.StartAsync();
        var first = harness.StartWorker("draining");
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("drain", OneCell, Training(epochs: 6, subset: 4000)));
        var reached = await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t.CurrentEpoch >= 2 && first.TrainerPids().Count > 0),
            Long, "two epochs");

        first.Terminate();
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(60)), $"the worker did not exit\n{harness.WorkerOutput()}");
        var released = (await harness.TrialsAsync(sweepId)).Single();
        output.WriteLine($"SIGTERM at epoch {reached.CurrentEpoch}; released with the checkpoint of epoch {released.CheckpointEpoch}.");
        Assert.True(released is { State: "queued", Attempt: 0 }, $"{released}\n{harness.WorkerOutput()}");
        Assert.True(released.CheckpointEpoch >= reached.CurrentEpoch, $"checkpoint {released.CheckpointEpoch} is behind epoch {reached.CurrentEpoch}");
        Assert.Contains("drained to its checkpoint", first.Output);

        var second = harness.StartWorker("successor");
        var trial = (await harness.WaitForFinalAsync(sweepId, Long)).Single();
        Assert.True(trial is { State: "completed", Attempt: 1 }, $"{trial}\n{harness.WorkerOutput()}");
        Assert.Contains($"resumes after epoch {released.CheckpointEpoch}", second.Output);
    }

    [Fact]
    public async Task Cells_that_run_out_of_memory_do_not_pause_their_worker_and_a_small_cell_still_runs()
    {
        await using var harness = await FaultHarness.StartAsync();

        // 700 MB fits a batch of 50 from 500 samples; a batch of 20,000 runs out of memory at its first step.
        harness.StartWorker("roomy", new() { ["Worker__MaxConsecutiveFailures"] = "3", ["Worker__TrainerMemoryLimitMb"] = "700" });
        var oversized = await harness.PostSweepAsync(FaultHarness.Sweep(
            "oversized", """{ "batchSize": [20000], "ghostBatchSize": [25] }""",
            """{ "epochs": 1, "lrDropEpochs": [], "seeds": [1, 2, 3], "trainSubset": 20000 }"""));
        var oom = await harness.WaitForFinalAsync(oversized, Long);
        Assert.All(oom, t => Assert.True(t is { State: "failed", FailureKind: "out-of-memory" }, $"{t}\n{harness.WorkerOutput()}"));
        Assert.Equal("active", await harness.Database.ScalarAsync<string>("SELECT state FROM workers WHERE name = 'roomy'"));

        var small = await harness.PostSweepAsync(FaultHarness.Sweep("small", OneCell, Training(epochs: 1, subset: 500)));
        var trial = (await harness.WaitForFinalAsync(small, Long)).Single();
        Assert.True(trial.State == "completed", $"{trial}\n{harness.WorkerOutput()}");
        Assert.Equal("active", await harness.Database.ScalarAsync<string>("SELECT state FROM workers WHERE name = 'roomy'"));
    }
}

using Npgsql;
using Sweep.Data.Commands;
using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// Issue 15, failure 1: a worker partitioned from PostgreSQL (a <see cref="TcpProxy"/> between it and the database,
/// cut mid-trial) loses its lease to a second worker, which resumes the trial from its checkpoint and finishes it.
/// The first worker kills its own trainer once its lease has gone unrenewed for LeaseSeconds, and when the
/// partition heals nothing it sent changes a row, and its claim's writes are refused (the lease generation fences
/// them): the trial's metric rows stay exactly those of an uninterrupted run of the same cell and seed.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class PartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private const string Cell = """{ "batchSize": [50], "ghostBatchSize": [25] }""";

    // About a second per epoch (see FaultTests); a checkpoint every second epoch, so the successor resumes from an even one.
    private const string Training = """{ "epochs": 8, "lrDropEpochs": [], "seeds": [1], "trainSubset": 2000, "checkpointEveryEpochs": 2 }""";

    /// <summary>Keys that measure the machine (time, memory, CPU), not training: they differ between any two runs.</summary>
    private static readonly IReadOnlyList<string> Clocks = Sweep.Domain.Results.MetricNames.Measured;

    [Fact]
    public async Task A_partitioned_worker_loses_its_trial_its_late_writes_are_rejected_and_the_metrics_match_an_uninterrupted_run()
    {
        await using var harness = await FaultHarness.StartAsync();
        await using var proxy = TcpProxy.ForPostgres(harness.Database.ConnectionString);
        var isolated = harness.StartWorker("isolated", connectionString: proxy.Route(harness.Database.ConnectionString));
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep("partition", Cell, Training));

        var before = await harness.WaitForAsync(async () =>
            (await harness.TrialsAsync(sweepId)).SingleOrDefault(t => t.CheckpointEpoch >= 2 && t.State == "running"),
            Long, "a checkpoint after epoch 2");
        proxy.Cut();
        output.WriteLine($"Cut the proxy after checkpoint epoch {before.CheckpointEpoch} (trial at epoch {before.CurrentEpoch}).");

        harness.StartWorker("successor");
        var after = (await harness.WaitForFinalAsync(sweepId, Long)).Single();
        Assert.True(after is { State: "completed", Attempt: 2 }, $"{after}\n{harness.WorkerOutput()}");
        Assert.Null(after.CheckpointEpoch); // a completed trial's checkpoint is deleted (item 8)
        var settled = await MetricRowsAsync(harness, after.Id);

        // Heal the partition. The isolated worker's retried writes land now, and its trainer's events after them.
        proxy.Restore();
        await harness.WaitForAsync(
            () => Task.FromResult(EndedTrial(isolated, after.Id) ? "" : null),
            Long, "the isolated worker to finish with the trial it lost");
        output.WriteLine($"The proxy turned away {proxy.Refused} connections while cut.");
        Assert.True(isolated.Logged($"Trial {after.Id}: gave the attempt up"), $"the isolated worker did not stop its trainer when its lease ran out\n{harness.WorkerOutput()}");
        Assert.True(proxy.Refused > 0, "the isolated worker never tried the database while cut");

        // Nothing the isolated worker sent after the cut changed a row: not a value, not a timestamp, not a row count.
        var final = await MetricRowsAsync(harness, after.Id);
        Assert.Equal(settled.Count, final.Count);
        Assert.Equal(settled, final);
        var trial = (await harness.TrialsAsync(sweepId)).Single();
        Assert.True(trial is { State: "completed", Attempt: 2, CurrentEpoch: 8, CheckpointEpoch: null }, trial.ToString());

        // The worker stops at the source, so its trainer's later epochs were never sent. Whatever its claim could
        // still send after the partition heals (a write in flight, a worker frozen past its own clock) is fenced:
        // the isolated claim held generation 1, the successor's holds 2.
        Assert.Equal(2L, await harness.Database.ScalarAsync<long>($"SELECT lease_generation FROM trials WHERE id = '{after.Id}'"));
        await using (var commands = new TestCommands(harness.Database.ConnectionString))
        {
            var late = new TrialLease(after.Id, "isolated", Generation: 1);
            var epoch9 = new Dictionary<string, double> { ["trainLoss"] = 99, ["valAccuracy"] = 0.01 };
            Assert.False(await commands.Trials.RecordMetricsAsync(late, 3, 1, epoch9, updateLatest: true, CancellationToken.None));
            Assert.False(await commands.Trials.HeartbeatAsync(late, TimeSpan.FromMinutes(1), CancellationToken.None));
            Assert.False(await commands.Trials.FailAsync(late, "error", "late", CancellationToken.None));
            Assert.False(await commands.Trials.ReleaseAsync(late, countsAsAttempt: true, CancellationToken.None));
        }

        Assert.Equal(final, await MetricRowsAsync(harness, after.Id));
        Assert.Equal("completed", (await harness.TrialsAsync(sweepId)).Single().State);

        // The same cell and seed trained without interruption gives exactly the same rows (training is a function
        // of the seed and the epoch, and a resume continues it exactly).
        var referenceId = await harness.PostSweepAsync(FaultHarness.Sweep("reference", Cell, Training));
        var reference = (await harness.WaitForFinalAsync(referenceId, Long)).Single();
        Assert.True(reference is { State: "completed", Attempt: 1 }, $"{reference}\n{harness.WorkerOutput()}");
        var expected = WithoutClocks(await MetricRowsAsync(harness, reference.Id));
        var actual = WithoutClocks(final);
        Assert.Equal(expected.Select(r => (r.Key, r.Step)), actual.Select(r => (r.Key, r.Step)));
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.True(want == got, $"{got} differs from the uninterrupted run's {want}");
        }
    }

    /// <summary>The isolated worker's own last word on the trial: its lease ran out or was taken, or its write-back ended.</summary>
    private static bool EndedTrial(WorkerProcess worker, Guid trialId) =>
        worker.Logged($"Trial {trialId}: gave the attempt up") || worker.Logged($"Trial {trialId} was taken from worker")
        || worker.Logged($"Trial {trialId} completed") || worker.Logged($"Trial {trialId} failed");

    private static List<MetricRow> WithoutClocks(List<MetricRow> rows) =>
        rows.Where(r => !Clocks.Contains(r.Key)).Select(r => r with { RecordedAt = default }).ToList();

    private static async Task<List<MetricRow>> MetricRowsAsync(FaultHarness harness, Guid trialId)
    {
        await using var connection = new NpgsqlConnection(harness.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT key, step, epoch, value, recorded_at FROM metric_points WHERE trial_id = @trial ORDER BY key, step", connection);
        command.Parameters.AddWithValue("trial", trialId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MetricRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MetricRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return rows;
    }

    private sealed record MetricRow(string Key, long Step, int Epoch, double Value, DateTimeOffset RecordedAt);
}

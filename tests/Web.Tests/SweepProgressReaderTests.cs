using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;
using Sweep.Web.Tests.Components;

namespace Sweep.Web.Tests;

/// <summary>The sweep page's plan-ahead numbers, read from rows set up in a real PostgreSQL as workers write them.</summary>
public sealed class SweepProgressReaderTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    private Task<Guid> CreateAsync(string name, string device = "any", string dataset = "fashion-mnist") =>
        db.CreateSweepAsync(new SweepSpec
        {
            Name = name,
            Dataset = dataset,
            Device = device,
            Grid = new GridSpec { BatchSize = [64, 128], GhostBatchSize = [32] },
            Training = new TrainingSpec { Epochs = 1, LrDropEpochs = [], TrainSubset = 1_000 },
        });

    private static string Queues(string deviceClass) => string.Join(',', Sweep.Domain.Execution.TrialQueues.ForWorker(deviceClass));

    private Task WorkerAsync(string name, string deviceClass, string state, string heartbeat) => db.ExecuteAsync($"""
        INSERT INTO workers (name, host, device, version, queues, state, consecutive_failures, trials_run, started_at, heartbeat_at)
        VALUES ('{name}', 'host', '{deviceClass}', 'test', '{Queues(deviceClass)}', '{state}', 0, 0, now(), {heartbeat})
        """);

    [Fact]
    public async Task Queued_ahead_counts_other_active_sweeps_trials_that_workers_take_first_and_workers_count_those_listening()
    {
        // In creation order: A (cpu), a paused cpu sweep, a cuda sweep, a shared one, then C (cpu), then F (cpu)
        // whose one trial is moved to the high queue.
        var a = await CreateAsync("ahead-a", "cpu");
        var paused = await CreateAsync("ahead-paused", "cpu");
        await db.ExecuteAsync($"UPDATE sweeps SET state = 'paused' WHERE id = '{paused}'");
        await CreateAsync("ahead-cuda", "cuda");
        var shared = await CreateAsync("ahead-shared");
        var c = await CreateAsync("ahead-c", "cpu");
        var f = await CreateAsync("ahead-f", "cpu");
        await db.ExecuteAsync($"UPDATE trials SET priority = 1 WHERE id = (SELECT id FROM trials WHERE sweep_id = '{f}' LIMIT 1)");

        await WorkerAsync("cpu-1", "cpu", "active", "now()");
        await WorkerAsync("cuda-1", "cuda", "active", "now()");
        await WorkerAsync("cpu-stale", "cpu", "active", "now() - interval '5 minutes'");
        await WorkerAsync("cpu-paused", "cpu", "paused", "now()");
        var reader = db.ProgressReader();

        // C waits behind A's 2, the shared sweep's 2 and F's high-priority one; not the paused, cuda or later ones.
        var progressC = (await reader.ReadAsync(c, CancellationToken.None))!;
        Assert.Equal(5, progressC.QueuedAhead);
        Assert.Equal(1, progressC.ActiveWorkers);

        // A, first in its tier, waits only for F's high-priority trial; any worker takes the shared sweep's trials.
        Assert.Equal(1, (await reader.ReadAsync(a, CancellationToken.None))!.QueuedAhead);
        Assert.Equal(2, (await reader.ReadAsync(shared, CancellationToken.None))!.ActiveWorkers);

        // Nothing queued, nothing ahead.
        await db.ExecuteAsync($"UPDATE trials SET state = 'cancelled' WHERE sweep_id = '{c}'");
        Assert.Equal(0, (await reader.ReadAsync(c, CancellationToken.None))!.QueuedAhead);
    }

    [Fact]
    public async Task The_eta_prices_what_is_left_at_the_speed_and_start_up_of_the_sweeps_own_completed_trials()
    {
        var id = await CreateAsync("eta", "cuda");

        // The B = 64 trial took 23 s, 20 s of them in the trainer: 3 s of start-up. The other one, the same work, waits.
        await db.ExecuteAsync($"""
            UPDATE trials SET state = 'completed', current_epoch = 1, final_wall_seconds = 20,
                   started_at = now() - interval '23 seconds', finished_at = now()
             WHERE sweep_id = '{id}' AND batch_size = 64
            """);
        var progress = (await db.ProgressReader().ReadAsync(id, CancellationToken.None))!;

        Assert.NotNull(progress.EtaSeconds);
        // At most one worker listens on cuda here (another test may register one): 23 s either way.
        Assert.InRange(progress.ActiveWorkers, 0, 1);
        Assert.Equal(23, progress.EtaSeconds!.Value, 6);
        Assert.Contains("this sweep's 1 completed trial", progress.EtaBasis);
        Assert.Null(progress.Outcome);
    }

    [Fact]
    public async Task After_the_run_the_estimate_from_other_sweeps_speed_is_compared_with_the_first_start_to_the_last_end()
    {
        // Another sweep of the same work measured 20 s in the trainer and 23 s in all per trial.
        var earlier = await CreateAsync("measured", dataset: "mnist");
        await db.ExecuteAsync($"""
            UPDATE trials SET state = 'completed', current_epoch = 1, final_wall_seconds = 20,
                   started_at = now() - interval '23 seconds', finished_at = now()
             WHERE sweep_id = '{earlier}'
            """);

        // This one ran its two trials one after the other on one worker, 30 s in all, each far faster than measured.
        var id = await CreateAsync("compared", dataset: "mnist");
        await db.ExecuteAsync($"""
            UPDATE trials SET state = 'completed', current_epoch = 1, final_wall_seconds = 1,
                   started_at = now() - interval '2 seconds', finished_at = now()
             WHERE sweep_id = '{id}';
            INSERT INTO trial_attempts (trial_id, number, worker, started_at, ended_at, outcome)
            SELECT t.id, 1, 'w1', timestamptz '2026-01-01 00:00:00+00' + (CASE WHEN t.batch_size = 64 THEN 0 ELSE 10 END) * interval '1 second',
                   timestamptz '2026-01-01 00:00:00+00' + (CASE WHEN t.batch_size = 64 THEN 10 ELSE 30 END) * interval '1 second', 'completed'
              FROM trials t WHERE t.sweep_id = '{id}';
            """);
        var progress = (await db.ProgressReader().ReadAsync(id, CancellationToken.None))!;

        var outcome = progress.Outcome!;
        Assert.Equal(30, outcome.ActualSeconds, 6);
        Assert.Equal(1, outcome.Workers);
        Assert.Equal(2 * 23, outcome.EstimatedSeconds!.Value, 6);
        Assert.Equal(30.0 / 46, outcome.Ratio!.Value, 6);
        Assert.Null(progress.EtaSeconds);
    }
}

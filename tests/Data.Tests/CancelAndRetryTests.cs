using Sweep.Domain.Sweeps;
using Xunit.Abstractions;

namespace Sweep.Data.Tests;

/// <summary>Cancel racing a claim, retry after cancel, and retry-failed on paused and cancelled sweeps.</summary>
public sealed class CancelAndRetryTests(StateDatabase db, ITestOutputHelper output) : IClassFixture<StateDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_cancel_racing_a_claim_never_leaves_a_trial_running_under_the_cancelled_sweep()
    {
        var claimedFirst = 0;
        for (var round = 0; round < 60; round++)
        {
            var (sweep, trial) = await db.CreateTrialAsync();
            using var start = new Barrier(2);
            var claim = Task.Run(() => { start.SignalAndWait(); return db.Commands.Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None); });
            var cancel = Task.Run(() => { start.SignalAndWait(); return db.Commands.Sweeps.CancelAsync(sweep, CancellationToken.None); });
            await Task.WhenAll(claim, cancel);

            Assert.True(await cancel);
            Assert.Equal(SweepState.Cancelled, await db.SweepStateAsync(sweep));
            Assert.Equal(TrialState.Cancelled, (await db.TrialAsync(trial)).State);
            if (await claim is { } lease)
            {
                // Claimed first, then cancelled: the holder notices at its next heartbeat, and nothing it writes lands.
                claimedFirst++;
                Assert.False(await db.Commands.Trials.HeartbeatAsync(lease, Lease, CancellationToken.None));
                Assert.False(await db.Commands.Trials.CompleteAsync(lease, 1, new Dictionary<string, double>(), CancellationToken.None));
            }
        }

        // Not asserted (scheduling decides), but both orders are what this test is for.
        output.WriteLine($"cancel racing claim: the claim landed first in {claimedFirst} of 60 rounds");
    }

    [Fact]
    public async Task A_trial_retried_after_its_sweep_was_cancelled_reopens_the_sweep_and_runs_again()
    {
        var (sweep, trial) = await db.CreateTrialAsync();
        await db.Commands.Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None);
        Assert.True(await db.Commands.Sweeps.CancelAsync(sweep, CancellationToken.None));
        Assert.Null(await db.Commands.Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None));

        Assert.True(await db.Commands.Trials.RetryAsync(trial, fresh: false, CancellationToken.None));

        Assert.Equal(SweepState.Active, await db.SweepStateAsync(sweep));
        var requeued = await db.TrialAsync(trial);
        Assert.Equal((TrialState.Queued, 0), (requeued.State, requeued.Attempt));
        var lease = await db.Commands.Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None);
        Assert.Equal(2L, lease!.Generation);
        Assert.Equal(1, (await db.TrialAsync(trial)).Attempt);
        Assert.False(await db.Commands.Trials.RetryAsync(trial, fresh: false, CancellationToken.None));
    }

    [Fact]
    public async Task A_fresh_retry_drops_the_checkpoint_and_the_metrics_of_the_earlier_attempt()
    {
        var (_, trial) = await db.CreateTrialAsync();
        var lease = (await db.Commands.Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None))!;
        await db.Commands.Trials.RecordMetricsAsync(lease, 1, 100, new Dictionary<string, double> { ["valAccuracy"] = 0.5 }, updateLatest: true, CancellationToken.None);
        await db.ExecuteAsync($"INSERT INTO trial_checkpoints (trial_id, epoch, step, data, created_at) VALUES ('{trial}', 1, 100, '\\x00', now())");
        await db.Commands.Trials.FailAsync(lease, FailureKind.OutOfMemory, "CUDA out of memory", CancellationToken.None);

        Assert.True(await db.Commands.Trials.RetryAsync(trial, fresh: true, CancellationToken.None));

        Assert.Empty(await db.MetricsAsync(trial));
        Assert.Equal(0L, await db.Database.ScalarAsync<long>($"SELECT count(*) FROM trial_checkpoints WHERE trial_id = '{trial}'"));
        var row = await db.TrialAsync(trial);
        Assert.Equal((TrialState.Queued, 0, 0, (string?)null), (row.State, row.Attempt, row.CurrentEpoch, row.FailureKind));
    }

    [Fact]
    public async Task Retry_failed_keeps_a_paused_sweep_paused_and_reopens_a_cancelled_one()
    {
        var (paused, pausedQueued) = await db.CreateTrialAsync(sweepState: SweepState.Paused, failed: 2);
        var (cancelled, _) = await db.CreateTrialAsync(sweepState: SweepState.Cancelled, failed: 1);
        var (nothingFailed, _) = await db.CreateTrialAsync(sweepState: SweepState.Cancelled);

        var requeuedPaused = await db.Commands.Sweeps.RetryFailedAsync(paused, CancellationToken.None);
        var requeuedCancelled = await db.Commands.Sweeps.RetryFailedAsync(cancelled, CancellationToken.None);
        var requeuedNothing = await db.Commands.Sweeps.RetryFailedAsync(nothingFailed, CancellationToken.None);

        Assert.Equal(2, requeuedPaused.Count);
        Assert.Equal(SweepState.Paused, await db.SweepStateAsync(paused));
        Assert.Null(await db.Commands.Trials.ClaimAsync(requeuedPaused[0], "worker-a", Lease, CancellationToken.None));
        Assert.Single(requeuedCancelled);
        Assert.Equal(SweepState.Active, await db.SweepStateAsync(cancelled));
        Assert.Empty(requeuedNothing);
        Assert.Equal(SweepState.Cancelled, await db.SweepStateAsync(nothingFailed));

        // The paused sweep's trials run once it is resumed.
        Assert.True(await db.Commands.Sweeps.ResumeAsync(paused, CancellationToken.None));
        Assert.NotNull(await db.Commands.Trials.ClaimAsync(requeuedPaused[0], "worker-a", Lease, CancellationToken.None));
        Assert.NotNull(await db.Commands.Trials.ClaimAsync(pausedQueued, "worker-b", Lease, CancellationToken.None));
    }

    [Fact]
    public async Task A_sweep_with_unfinished_trials_is_not_deleted_and_a_settled_one_is()
    {
        var (sweep, trial) = await db.CreateTrialAsync();
        await db.Commands.Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None);

        Assert.False(await db.Commands.Sweeps.DeleteAsync(sweep, CancellationToken.None));
        Assert.True(await db.Commands.Sweeps.CancelAsync(sweep, CancellationToken.None));
        Assert.True(await db.Commands.Sweeps.DeleteAsync(sweep, CancellationToken.None));
        Assert.Equal(0L, await db.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE id = '{trial}'"));
    }
}

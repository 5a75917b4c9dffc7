using Sweep.Domain.Sweeps;

namespace Sweep.Data.Tests;

/// <summary>Lease expiry: the reaper requeues a trial whose worker stopped renewing, and fails it as lost at max_attempts.</summary>
public sealed class TrialReapTests(StateDatabase db) : IClassFixture<StateDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_expired_lease_is_requeued_once_and_a_live_one_is_left_alone()
    {
        var (_, expired) = await db.CreateTrialAsync();
        var (_, live) = await db.CreateTrialAsync();
        var stale = (await db.Commands.Trials.ClaimAsync(expired, "worker-a", Lease, CancellationToken.None))!;
        await db.Commands.Trials.ClaimAsync(live, "worker-b", Lease, CancellationToken.None);
        await db.ExpireLeaseAsync(expired);

        var reaped = await db.Commands.Trials.ReapExpiredAsync(CancellationToken.None);
        var again = await db.Commands.Trials.ReapExpiredAsync(CancellationToken.None);

        var trial = Assert.Single(reaped);
        Assert.Equal((expired, false, "default", 0), (trial.Id, trial.Exhausted, trial.Queue, trial.Priority));
        Assert.Empty(again);
        Assert.Equal((TrialState.Queued, 1, (string?)null), Row(await db.TrialAsync(expired)));
        Assert.Equal(TrialState.Running, (await db.TrialAsync(live)).State);
        Assert.False(await db.Commands.Trials.HeartbeatAsync(stale, Lease, CancellationToken.None));
        Assert.Equal("lost", await db.Database.ScalarAsync<string>($"SELECT outcome FROM trial_attempts WHERE trial_id = '{expired}'"));
    }

    [Fact]
    public async Task An_expired_lease_at_max_attempts_fails_the_trial_as_lost()
    {
        var (_, trial) = await db.CreateTrialAsync(maxAttempts: 2);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.NotNull(await db.Commands.Trials.ClaimAsync(trial, $"worker-{attempt}", Lease, CancellationToken.None));
            await db.ExpireLeaseAsync(trial);
            var reaped = Assert.Single(await db.Commands.Trials.ReapExpiredAsync(CancellationToken.None), r => r.Id == trial);
            Assert.Equal(attempt == 2, reaped.Exhausted);
        }

        Assert.Equal((TrialState.Failed, 2, FailureKind.Lost), Row(await db.TrialAsync(trial)));
        Assert.Null(await db.Commands.Trials.ClaimAsync(trial, "worker-3", Lease, CancellationToken.None));
    }

    private static (string, int, string?) Row(TrialRow row) => (row.State, row.Attempt, row.FailureKind);
}

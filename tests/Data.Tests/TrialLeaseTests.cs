using Sweep.Data.Commands;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Tests;

/// <summary>
/// Claims and fencing, straight against PostgreSQL: one claim wins, and every write a worker makes afterwards is
/// accepted only under the lease generation it claimed, so a holder that lost its lease changes nothing.
/// </summary>
public sealed class TrialLeaseTests(StateDatabase db) : IClassFixture<StateDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private TrialCommands Trials => db.Commands.Trials;

    [Fact]
    public async Task A_second_claim_of_a_running_trial_fails_and_the_first_keeps_its_lease()
    {
        var (_, trial) = await db.CreateTrialAsync();

        var first = await Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None);
        var second = await Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(new TrialLease(trial, "worker-a", 1), first);
        Assert.Equal((TrialState.Running, 1, 1L, "worker-a"), Row(await db.TrialAsync(trial)));
        Assert.True(await Trials.HeartbeatAsync(first, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_trial_let_exactly_one_through()
    {
        var (_, trial) = await db.CreateTrialAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Trials.ClaimAsync(trial, $"worker-{i}", Lease, CancellationToken.None))));

        var winner = Assert.Single(claims, c => c is not null);
        Assert.Equal((TrialState.Running, 1, 1L, winner!.Owner), Row(await db.TrialAsync(trial)));
    }

    [Fact]
    public async Task A_heartbeat_from_a_stale_generation_or_another_owner_is_rejected_and_leaves_the_lease_alone()
    {
        var (_, trial) = await db.CreateTrialAsync();
        var lease = (await Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None))!;

        // The same name with an older generation (a restarted worker that reuses its name), or a later one it never claimed.
        Assert.False(await Trials.HeartbeatAsync(lease with { Generation = lease.Generation - 1 }, Lease, CancellationToken.None));
        Assert.False(await Trials.HeartbeatAsync(new TrialLease(trial, "worker-b", lease.Generation + 1), Lease, CancellationToken.None));
        Assert.False(await Trials.SaveConfigAsync(lease with { Generation = 0 }, "{\"lr\":1}", 9, CancellationToken.None));

        Assert.Equal((TrialState.Running, 1, lease.Generation, "worker-a"), Row(await db.TrialAsync(trial)));
        Assert.Null((await db.TrialAsync(trial)).Config);
        Assert.True(await Trials.HeartbeatAsync(lease, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task A_live_lease_is_not_taken_over_and_an_expired_one_is_with_a_new_generation()
    {
        var (_, trial) = await db.CreateTrialAsync();
        var first = (await Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None))!;
        Assert.Null(await Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None));

        await db.ExpireLeaseAsync(trial);
        var second = await Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None);

        Assert.Equal(new TrialLease(trial, "worker-b", first.Generation + 1), second);
        Assert.Equal((TrialState.Running, 2, 2L, "worker-b"), Row(await db.TrialAsync(trial)));
    }

    [Fact]
    public async Task After_a_takeover_the_old_generation_changes_nothing_and_the_metrics_are_the_new_holders()
    {
        var (_, trial) = await db.CreateTrialAsync();
        var old = (await Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None))!;
        Assert.True(await Trials.RecordMetricsAsync(old, 1, 100, Epoch(0.5), updateLatest: true, CancellationToken.None));

        // worker-a is cut off from the database; its lease runs out and worker-b takes the trial and replays epoch 1.
        await db.ExpireLeaseAsync(trial);
        var current = (await Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None))!;
        Assert.True(await Trials.SaveConfigAsync(current, "{\"holder\":\"b\"}", 3, CancellationToken.None));
        Assert.True(await Trials.RecordMetricsAsync(current, 1, 100, Epoch(0.6), updateLatest: true, CancellationToken.None));
        Assert.True(await Trials.RecordMetricsAsync(current, 2, 200, Epoch(0.7), updateLatest: true, CancellationToken.None));

        // worker-a comes back with its late events: every one is refused.
        Assert.False(await Trials.RecordMetricsAsync(old, 2, 200, Epoch(0.1), updateLatest: true, CancellationToken.None));
        Assert.False(await Trials.RecordMetricsAsync(old, 3, 300, new Dictionary<string, double> { [MetricNames.WeightDistance] = 9 }, updateLatest: false, CancellationToken.None));
        Assert.False(await Trials.HeartbeatAsync(old, Lease, CancellationToken.None));
        Assert.False(await Trials.SaveConfigAsync(old, "{\"holder\":\"a\"}", 1, CancellationToken.None));
        Assert.False(await Trials.SaveEnvironmentAsync(old, new Dictionary<string, string> { ["holder"] = "a" }, CancellationToken.None));
        Assert.False(await Trials.CompleteAsync(old, 3, Epoch(0.1), CancellationToken.None));
        Assert.False(await Trials.FailAsync(old, FailureKind.Error, "late", CancellationToken.None));
        Assert.False(await Trials.ReleaseAsync(old, countsAsAttempt: false, CancellationToken.None));

        Assert.Equal(
            new List<(string, long, double)> { (MetricNames.ValAccuracy, 100, 0.6), (MetricNames.ValAccuracy, 200, 0.7) },
            await db.MetricsAsync(trial));
        var row = await db.TrialAsync(trial);
        Assert.Equal((TrialState.Running, 2, current.Generation, "worker-b"), Row(row));
        Assert.Equal((2, "{\"holder\": \"b\"}"), (row.CurrentEpoch, row.Config));
        Assert.Equal(2, await db.Database.ScalarAsync<int>($"SELECT attempt FROM trials WHERE id = '{trial}'"));

        Assert.True(await Trials.CompleteAsync(current, 2, Epoch(0.7), CancellationToken.None));
        Assert.Equal(TrialState.Completed, (await db.TrialAsync(trial)).State);
        Assert.Equal(0.7, await db.Database.ScalarAsync<double>($"SELECT final_val_accuracy FROM trials WHERE id = '{trial}'"));
    }

    [Fact]
    public async Task A_cancelled_trial_refuses_its_holders_writes()
    {
        var (_, trial) = await db.CreateTrialAsync();
        var lease = (await Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None))!;

        Assert.True(await Trials.CancelAsync(trial, CancellationToken.None));

        Assert.False(await Trials.HeartbeatAsync(lease, Lease, CancellationToken.None));
        Assert.False(await Trials.RecordMetricsAsync(lease, 1, 100, Epoch(0.5), updateLatest: true, CancellationToken.None));
        Assert.False(await Trials.CompleteAsync(lease, 1, Epoch(0.5), CancellationToken.None));
        Assert.Empty(await db.MetricsAsync(trial));
        Assert.Equal(TrialState.Cancelled, (await db.TrialAsync(trial)).State);
    }

    [Fact]
    public async Task A_graceful_release_hands_the_attempt_back_and_a_counted_one_keeps_it()
    {
        var (_, trial) = await db.CreateTrialAsync();
        var first = (await Trials.ClaimAsync(trial, "worker-a", Lease, CancellationToken.None))!;

        Assert.True(await Trials.ReleaseAsync(first, countsAsAttempt: false, CancellationToken.None));
        Assert.Equal((TrialState.Queued, 0, 1L, (string?)null), Row(await db.TrialAsync(trial)));

        var second = (await Trials.ClaimAsync(trial, "worker-b", Lease, CancellationToken.None))!;
        Assert.Equal(1, (await db.TrialAsync(trial)).Attempt);
        Assert.True(await Trials.ReleaseAsync(second, countsAsAttempt: true, CancellationToken.None));
        Assert.Equal((TrialState.Queued, 1, 2L, (string?)null), Row(await db.TrialAsync(trial)));

        // The history still shows both attempts, each ended as released.
        Assert.Equal("released,released", await db.Database.ScalarAsync<string>(
            $"SELECT string_agg(outcome, ',' ORDER BY number) FROM trial_attempts WHERE trial_id = '{trial}'"));
    }

    private static (string, int, long, string?) Row(TrialRow row) => (row.State, row.Attempt, row.Generation, row.Owner);

    private static Dictionary<string, double> Epoch(double accuracy) => new() { [MetricNames.ValAccuracy] = accuracy };
}

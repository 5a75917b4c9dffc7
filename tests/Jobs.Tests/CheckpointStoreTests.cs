using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data;
using Sweep.Data.Commands;
using Sweep.Jobs.Worker;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>
/// Issue 15, items 8 and 1 on a real PostgreSQL, through the worker's own store: checkpoints stream both ways, only
/// the claim's holder writes them, they go when their trial ends for good unless pinned, and a worker that lost
/// its lease writes no metric row.
/// </summary>
public sealed class CheckpointStoreTests : IAsyncLifetime
{
    private const int LargeBytes = 48 * 1024 * 1024;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly string _folder = Directory.CreateTempSubdirectory("sweep-ckpt-store-").FullName;
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private TrialStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _services = new ServiceCollection().AddSweepDbContext(_database.ConnectionString).BuildServiceProvider();
        _store = new TrialStore(_services.GetRequiredService<IDbContextFactory<SweepDbContext>>(), _services.GetRequiredService<TrialCommands>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_48_MB_checkpoint_streams_in_and_out_byte_for_byte_without_the_worker_holding_it()
    {
        var claim = await ClaimedTrialAsync("w1");
        var trial = claim.TrialId;
        var saved = Path.Combine(_folder, "out.bin");
        WriteRandom(saved, LargeBytes);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.True(await SaveAsync(claim, 4, 400, saved));
        var loaded = Path.Combine(_folder, "in.bin");
        var checkpoint = await _store.LoadCheckpointAsync(trial, loaded, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal((4, 400L), checkpoint);
        Assert.Equal((long)LargeBytes, await _database.ScalarAsync<int>($"SELECT octet_length(data) FROM trial_checkpoints WHERE trial_id = '{trial}'"));
        Assert.Equal(await HashAsync(saved), await HashAsync(loaded));
        Assert.True(allocated < LargeBytes / 4, $"The round trip allocated {allocated / (1024 * 1024)} MB for a {LargeBytes / (1024 * 1024)} MB checkpoint.");
        Assert.Null(await _store.LoadCheckpointAsync(Guid.NewGuid(), Path.Combine(_folder, "none.bin"), CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_claim_that_holds_the_current_lease_generation_writes_the_checkpoint()
    {
        var claim = await ClaimedTrialAsync("w1");
        var trial = claim.TrialId;
        var file = Path.Combine(_folder, "small.bin");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);

        // The same worker's name with an older or a newer generation is not the claim.
        Assert.False(await SaveAsync(claim with { Generation = claim.Generation - 1 }, 1, 10, file));
        Assert.False(await SaveAsync(claim with { Generation = claim.Generation + 1 }, 1, 10, file));
        Assert.Equal(0L, await CountAsync("trial_checkpoints", trial));
        Assert.True(await SaveAsync(claim, 1, 10, file));

        // The upsert keeps one row, the latest, and leaves a pin alone.
        await Pin(trial);
        Assert.True(await SaveAsync(claim, 2, 20, file));
        Assert.Equal("2:True", await _database.ScalarAsync<string>($"SELECT epoch || ':' || (CASE WHEN pinned THEN 'True' ELSE 'False' END) FROM trial_checkpoints WHERE trial_id = '{trial}'"));
    }

    [Fact]
    public async Task A_completed_trials_checkpoint_is_deleted_and_a_pinned_one_stays_until_unpinned()
    {
        var plainClaim = await TrialWithCheckpointAsync("w1");
        var pinnedClaim = await TrialWithCheckpointAsync("w1");
        var (plain, pinned) = (plainClaim.TrialId, pinnedClaim.TrialId);
        await Pin(pinned);

        Assert.True(await _store.CompleteAsync(plainClaim, 3, new Dictionary<string, double> { ["valAccuracy"] = 0.5 }, CancellationToken.None));
        Assert.True(await _store.CompleteAsync(pinnedClaim, 3, new Dictionary<string, double> { ["valAccuracy"] = 0.5 }, CancellationToken.None));

        Assert.Equal("completed", await _database.ScalarAsync<string>($"SELECT state FROM trials WHERE id = '{plain}'"));
        Assert.Equal(0L, await CountAsync("trial_checkpoints", plain));
        Assert.Equal(1L, await CountAsync("trial_checkpoints", pinned));

        // Unpinning applies the rule at once: the trial has ended, so its checkpoint goes.
        await using (var db = await NewContextAsync())
        {
            Assert.True(await CheckpointCommands.SetPinnedAsync(db, pinned, false, CancellationToken.None));
            Assert.False(await CheckpointCommands.SetPinnedAsync(db, plain, true, CancellationToken.None));
        }

        Assert.Equal(0L, await CountAsync("trial_checkpoints", pinned));
    }

    [Theory]
    [InlineData("diverged", false)]
    [InlineData("out-of-memory", false)]
    [InlineData("evaluation-nan", false)]
    [InlineData("error", true)]
    [InlineData("stalled", true)]
    public async Task A_failure_that_a_retry_would_meet_again_deletes_the_checkpoint_any_other_keeps_it(string kind, bool kept)
    {
        var claim = await TrialWithCheckpointAsync("w1");
        Assert.True(await _store.FailAsync(claim, kind, "why", CancellationToken.None));
        Assert.Equal(kept ? 1L : 0L, await CountAsync("trial_checkpoints", claim.TrialId));
    }

    [Fact]
    public async Task Cancelled_requeued_and_released_trials_keep_their_checkpoint_to_resume_from()
    {
        var releasedClaim = await TrialWithCheckpointAsync("w1");
        Assert.True(await _store.ReleaseAsync(releasedClaim, countsAsAttempt: true, CancellationToken.None));
        var released = releasedClaim.TrialId;
        var cancelled = (await TrialWithCheckpointAsync("w1")).TrialId;
        await _database.ScalarAsync<int>($"UPDATE trials SET state = 'cancelled', lease_owner = NULL WHERE id = '{cancelled}' RETURNING 1");

        await using (var db = await NewContextAsync())
        {
            await CheckpointCommands.DeleteIfSpentAsync(db, released, CancellationToken.None);
            await CheckpointCommands.DeleteIfSpentAsync(db, cancelled, CancellationToken.None);
        }

        Assert.Equal(1L, await CountAsync("trial_checkpoints", released));
        Assert.Equal(1L, await CountAsync("trial_checkpoints", cancelled));
    }

    [Fact]
    public async Task A_worker_whose_lease_was_taken_over_writes_no_metric_row_even_under_the_same_name()
    {
        var first = await ClaimedTrialAsync("w1");
        var trial = first.TrialId;

        // The lease expires and the same worker name (a restarted host) claims again: a new generation.
        await _database.ScalarAsync<int>($"UPDATE trials SET lease_expires_at = now() - interval '1 second' WHERE id = '{trial}' RETURNING 1");
        var second = await _store.TryClaimAsync(trial, "w1", Lease, CancellationToken.None);
        Assert.NotNull(second);

        Assert.False(await _store.RecordMetricsAsync(first, 1, 40, new Dictionary<string, double> { ["trainLoss"] = 9.9 }, updateLatest: true, CancellationToken.None));
        Assert.Equal(0L, await CountAsync("metric_points", trial));

        Assert.True(await _store.RecordMetricsAsync(second, 1, 40, new Dictionary<string, double> { ["trainLoss"] = 0.5 }, updateLatest: true, CancellationToken.None));
        Assert.Equal(0.5, await _database.ScalarAsync<double>($"SELECT value FROM metric_points WHERE trial_id = '{trial}'"));
    }

    private async Task<TrialLease> ClaimedTrialAsync(string owner)
    {
        var sweep = Guid.NewGuid();
        var trial = Guid.NewGuid();
        await _database.ScalarAsync<int>(
            $"""
            WITH s AS (INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state)
                       VALUES ('{sweep}', 's', 'fashion-mnist', 'f1', '{"{}"}', 0, now(), 'active') RETURNING id)
            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, current_epoch, total_epochs, created_at)
            SELECT '{trial}', id, 128, 32, 1, 1, 'queued', 0, 0, 3, now() FROM s RETURNING 1
            """);
        var claim = await _store.TryClaimAsync(trial, owner, Lease, CancellationToken.None);
        Assert.NotNull(claim);
        return claim;
    }

    private async Task<TrialLease> TrialWithCheckpointAsync(string owner)
    {
        var claim = await ClaimedTrialAsync(owner);
        var file = Path.Combine(_folder, $"{claim.TrialId:N}.bin");
        await File.WriteAllBytesAsync(file, [9, 8, 7]);
        Assert.True(await SaveAsync(claim, 2, 20, file));
        return claim;
    }

    private async Task<bool> SaveAsync(TrialLease claim, int epoch, long step, string path)
    {
        await using var data = TrialStore.OpenCheckpoint(path);
        return await _store.SaveCheckpointAsync(claim, epoch, step, data, CancellationToken.None);
    }

    private async Task Pin(Guid trial)
    {
        await using var db = await NewContextAsync();
        Assert.True(await CheckpointCommands.SetPinnedAsync(db, trial, true, CancellationToken.None));
    }

    private Task<SweepDbContext> NewContextAsync() =>
        _services.GetRequiredService<IDbContextFactory<SweepDbContext>>().CreateDbContextAsync();

    private Task<long> CountAsync(string table, Guid trial) =>
        _database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE trial_id = '{trial}'");

    /// <summary>Random bytes written in 1 MiB blocks: the test itself never holds the whole file either.</summary>
    private static void WriteRandom(string path, int bytes)
    {
        var random = new Random(15);
        var block = new byte[1024 * 1024];
        using var file = File.Create(path);
        for (var written = 0; written < bytes; written += block.Length)
        {
            random.NextBytes(block);
            file.Write(block);
        }
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }
}

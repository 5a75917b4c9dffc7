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
        _store = new TrialStore(_services.GetRequiredService<IDbContextFactory<SweepDbContext>>());
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
        var trial = await ClaimedTrialAsync("w1");
        var saved = Path.Combine(_folder, "out.bin");
        WriteRandom(saved, LargeBytes);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.True(await _store.SaveCheckpointAsync(trial, "w1", 0, 4, 400, saved, CancellationToken.None));
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
    public async Task Only_the_claim_that_holds_the_lease_and_its_generation_writes_the_checkpoint()
    {
        var trial = await ClaimedTrialAsync("w1");
        var file = Path.Combine(_folder, "small.bin");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);

        Assert.False(await _store.SaveCheckpointAsync(trial, "intruder", 0, 1, 10, file, CancellationToken.None));
        Assert.False(await _store.SaveCheckpointAsync(trial, "w1", 7, 1, 10, file, CancellationToken.None));
        Assert.Equal(0L, await CountAsync("trial_checkpoints", trial));
        Assert.True(await _store.SaveCheckpointAsync(trial, "w1", 0, 1, 10, file, CancellationToken.None));

        // The upsert keeps one row, the latest, and leaves a pin alone.
        await Pin(trial);
        Assert.True(await _store.SaveCheckpointAsync(trial, "w1", 0, 2, 20, file, CancellationToken.None));
        Assert.Equal("2:True", await _database.ScalarAsync<string>($"SELECT epoch || ':' || (CASE WHEN pinned THEN 'True' ELSE 'False' END) FROM trial_checkpoints WHERE trial_id = '{trial}'"));
    }

    [Fact]
    public async Task A_completed_trials_checkpoint_is_deleted_and_a_pinned_one_stays_until_unpinned()
    {
        var plain = await TrialWithCheckpointAsync("w1");
        var pinned = await TrialWithCheckpointAsync("w1");
        await Pin(pinned);

        await _store.CompleteAsync(plain, "w1", 3, new Dictionary<string, double> { ["valAccuracy"] = 0.5 }, CancellationToken.None);
        await _store.CompleteAsync(pinned, "w1", 3, new Dictionary<string, double> { ["valAccuracy"] = 0.5 }, CancellationToken.None);

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
        var trial = await TrialWithCheckpointAsync("w1");
        await _store.FailAsync(trial, "w1", kind, "why", CancellationToken.None);
        Assert.Equal(kept ? 1L : 0L, await CountAsync("trial_checkpoints", trial));
    }

    [Fact]
    public async Task Cancelled_requeued_and_released_trials_keep_their_checkpoint_to_resume_from()
    {
        var released = await TrialWithCheckpointAsync("w1");
        await _store.ReleaseAsync(released, "w1", CancellationToken.None);
        var cancelled = await TrialWithCheckpointAsync("w1");
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
    public async Task A_worker_that_lost_its_lease_writes_no_metric_row()
    {
        var trial = await ClaimedTrialAsync("w1");
        await _database.ScalarAsync<int>($"UPDATE trials SET lease_owner = 'w2' WHERE id = '{trial}' RETURNING 1");

        await _store.RecordMetricsAsync(trial, "w1", 1, 40, new Dictionary<string, double> { ["trainLoss"] = 9.9 }, updateLatest: true, CancellationToken.None);
        Assert.Equal(0L, await CountAsync("metric_points", trial));

        await _store.RecordMetricsAsync(trial, "w2", 1, 40, new Dictionary<string, double> { ["trainLoss"] = 0.5 }, updateLatest: true, CancellationToken.None);
        Assert.Equal(1L, await CountAsync("metric_points", trial));
    }

    private async Task<Guid> ClaimedTrialAsync(string owner)
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
        Assert.True(await _store.TryClaimAsync(trial, owner, Lease, CancellationToken.None));
        return trial;
    }

    private async Task<Guid> TrialWithCheckpointAsync(string owner)
    {
        var trial = await ClaimedTrialAsync(owner);
        var file = Path.Combine(_folder, $"{trial:N}.bin");
        await File.WriteAllBytesAsync(file, [9, 8, 7]);
        Assert.True(await _store.SaveCheckpointAsync(trial, owner, 0, 2, 20, file, CancellationToken.None));
        return trial;
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

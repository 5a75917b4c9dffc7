using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Data.Queue;
using Sweep.Domain.Sweeps;
using Sweep.Jobs.Worker;
using Sweep.Testing;

namespace Sweep.Jobs.Tests;

/// <summary>
/// Issue 15, failure 4, on real PostgreSQL without processes: what the queue sweep picks (queued trials of active
/// sweeps past the grace period, with no live job), and that sweepers racing each other enqueue each orphan once.
/// </summary>
public sealed class QueueSweeperTests
{
    [Fact]
    public async Task Racing_sweepers_enqueue_each_forgotten_trial_once_and_leave_fresh_paused_and_live_ones_alone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection().AddSweepDbContext(database.ConnectionString).BuildServiceProvider();
        var contexts = services.GetRequiredService<IDbContextFactory<SweepDbContext>>();
        GlobalConfiguration.Configuration.UseSweepStorage(database.ConnectionString);
        var jobs = new BackgroundJobClient(JobStorage.Current);

        var old = DateTimeOffset.UtcNow.AddHours(-1);
        var forgotten = await SeedAsync(contexts, "active", 300, old);
        var live = await SeedAsync(contexts, "active", 5, old);
        foreach (var id in live)
        {
            jobs.Enqueue(id, "default", 0);
        }

        await SeedAsync(contexts, "active", 7, DateTimeOffset.UtcNow);
        await SeedAsync(contexts, "paused", 9, old);

        var options = Options.Create(new WorkerOptions { QueueSweepGraceSeconds = 60 });
        var sweepers = Enumerable.Range(0, 4).Select(_ => new QueueSweeper(contexts, jobs, options, NullLogger<QueueSweeper>.Instance)).ToList();
        var passes = await Task.WhenAll(sweepers.Select(s => s.SweepAsync(CancellationToken.None)));

        Assert.Equal(300, passes.Sum(p => p ?? 0));
        Assert.Equal(305L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job"));
        Assert.Equal(0L, await database.ScalarAsync<long>(
            $"SELECT count(*) FROM trials t WHERE t.id = ANY('{{{string.Join(',', forgotten)}}}'::uuid[]) AND NOT EXISTS (SELECT 1 FROM hangfire.job j WHERE j.arguments::text LIKE '%' || t.id || '%')"));

        // Every orphan has its job now: the next pass finds nothing.
        Assert.Equal(0, await sweepers[0].SweepAsync(CancellationToken.None));
    }

    private static async Task<List<Guid>> SeedAsync(IDbContextFactory<SweepDbContext> contexts, string state, int trials, DateTimeOffset createdAt)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var spec = new SweepSpec { Name = "orphans", Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [128] }, Training = new TrainingSpec { Epochs = 1, Seeds = Enumerable.Range(1, trials).ToList() } };
        var sweep = new SweepRecord { Id = Guid.CreateVersion7(), Name = "orphans", Dataset = "fashion-mnist", Model = "f1", Spec = SweepJson.Serialize(spec), CreatedAt = createdAt, State = state };
        sweep.Trials = Enumerable.Range(1, trials).Select(seed => new TrialRecord
        {
            Id = Guid.CreateVersion7(), SweepId = sweep.Id, BatchSize = 128, GhostBatchSize = 128, RegimeMultiplier = 1, Seed = seed,
            State = TrialState.Queued, TotalEpochs = 1, CreatedAt = createdAt,
        }).ToList();
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync();
        return sweep.Trials.Select(t => t.Id).ToList();
    }
}

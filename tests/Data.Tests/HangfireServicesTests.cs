using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Data.Queue;
using Sweep.Testing;

namespace Sweep.Data.Tests;

/// <summary>
/// Two hosts in one process over different databases (the web tests' factories, run in parallel) each enqueue into
/// their own: Hangfire's default storage is the process-wide JobStorage.Current, which the last configured host sets.
/// </summary>
public sealed class HangfireServicesTests
{
    [Fact]
    public async Task A_hosts_jobs_land_in_its_own_database_after_another_host_configured_hangfire()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();
        await using var firstHost = Host(first);
        await using var secondHost = Host(second);

        // The interleaving of two hosts starting at once: the first runs Hangfire's configuration, then the second
        // does, and only then does the first build its storage and client.
        firstHost.GetRequiredService<IGlobalConfiguration>();
        secondHost.GetRequiredService<IGlobalConfiguration>();
        var trial = Guid.NewGuid();
        firstHost.GetRequiredService<IBackgroundJobClient>().Enqueue(trial, "cpu", priority: 0);

        Assert.Equal(1L, await JobsForAsync(first, trial));
        Assert.Equal(0L, await JobsForAsync(second, trial));
    }

    [Fact]
    public async Task A_host_enqueues_after_a_host_started_later_in_the_same_process_has_stopped()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();
        await using var firstHost = Host(first);
        firstHost.GetRequiredService<IGlobalConfiguration>();
        await using (var secondHost = Host(second))
        {
            // The later host's configuration makes its logger factory Hangfire's process-wide log provider.
            secondHost.GetRequiredService<IGlobalConfiguration>();
        }

        var trial = Guid.NewGuid();
        firstHost.GetRequiredService<IBackgroundJobClient>().Enqueue(trial, "cpu", priority: 0);

        Assert.Equal(1L, await JobsForAsync(first, trial));
    }

    private static ServiceProvider Host(TestDatabase database) =>
        new ServiceCollection().AddLogging().AddSweepHangfire(database.ConnectionString).BuildServiceProvider();

    private static Task<long> JobsForAsync(TestDatabase database, Guid trial) =>
        database.ScalarAsync<long>($"SELECT count(*) FROM {HangfireStorage.Schema}.job WHERE arguments::text LIKE '%{trial}%'");
}

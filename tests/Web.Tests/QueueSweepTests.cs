using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Testing;
using Xunit.Abstractions;

namespace Sweep.Web.Tests;

/// <summary>
/// Issue 15, failure 4: no queued trial is ever forgotten. The workers' queue sweep (QueueSweeper) enqueues again
/// every queued trial that no live Hangfire job carries: a web process killed while enqueueing, a job deleted.
/// Workers run the no-op trainer in process, so that thousands of trials pass through queue, claim and store in
/// seconds.
/// </summary>
[Trait(Tier.Name, Tier.System)]
[Collection(SystemCollection.Name)]
public sealed class QueueSweepTests(ITestOutputHelper output)
{
    private const int Cells = 2_000;

    [Fact]
    public async Task Killing_the_web_process_while_it_enqueues_a_2000_cell_sweep_forgets_no_trial()
    {
        await using var harness = await FaultHarness.StartAsync();
        var name = "killed-mid-enqueue";
        await using (var web = await WebProcess.StartAsync(harness.Database.ConnectionString, WebSettings()))
        {
            using var client = web.RawClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", harness.Web.AdminToken);
            client.Timeout = TimeSpan.FromMinutes(2);
            var seeds = string.Join(", ", Enumerable.Range(1, Cells));
            var post = client.PostAsync("/api/v1/sweeps", new StringContent(
                FaultHarness.Sweep(name, """{ "batchSize": [100], "ghostBatchSize": [25] }""", $$"""{ "epochs": 1, "lrDropEpochs": [], "seeds": [{{seeds}}], "trainSubset": 1000 }"""),
                Encoding.UTF8, "application/json"));

            // The sweep and its trials commit first; the jobs follow one by one. Kill once some, not all, exist.
            await harness.WaitForAsync(async () => await JobCountAsync(harness) >= 50 ? "some jobs" : null, TimeSpan.FromSeconds(60), "the web to start enqueueing");
            web.KillHard();
            await Assert.ThrowsAnyAsync<Exception>(() => post);
        }

        var enqueued = await JobCountAsync(harness);
        output.WriteLine($"Jobs enqueued before the kill: {enqueued} of {Cells}.");
        Assert.InRange(enqueued, 1, Cells - 1);
        var sweepId = await harness.Database.ScalarAsync<Guid>($"SELECT id FROM sweeps WHERE name = '{name}'");
        Assert.Equal(Cells, await harness.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{sweepId}'"));

        var clock = Stopwatch.StartNew();
        foreach (var i in Enumerable.Range(1, 3))
        {
            harness.StartWorker($"sweeper-{i}", WorkerSettings());
        }

        var trials = await harness.WaitForFinalAsync(sweepId, TimeSpan.FromMinutes(3));
        output.WriteLine($"All {Cells} trials final {clock.Elapsed.TotalSeconds:F1} s after three no-op workers started.");
        Assert.All(trials, t => Assert.True(t is { State: "completed", Attempt: 1 }, $"{t}\n{harness.WorkerOutput()}"));

        // Each ran exactly once, although the jobs that did exist and the re-enqueued ones overlapped in time.
        Assert.Equal((long)Cells, await harness.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM trial_attempts a JOIN trials t ON t.id = a.trial_id WHERE t.sweep_id = '{sweepId}'"));
    }

    [Fact]
    public async Task A_queued_trial_whose_job_was_deleted_or_lost_still_runs()
    {
        await using var harness = await FaultHarness.StartAsync();
        var sweepId = await harness.PostSweepAsync(FaultHarness.Sweep(
            "deleted-jobs", """{ "batchSize": [100], "ghostBatchSize": [25] }""", """{ "epochs": 1, "lrDropEpochs": [], "seeds": [1, 2, 3], "trainSubset": 1000 }"""));
        var ids = (await harness.TrialsAsync(sweepId)).Select(t => t.Id).ToList();

        // The dashboard's Delete: the job moves to the Deleted state, and a worker that fetches it drops it.
        var jobs = harness.Web.Services.GetRequiredService<IBackgroundJobClient>();
        Assert.True(jobs.Delete((await JobIdAsync(harness, ids[0])).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // A job gone from the tables altogether, as after a cleanup or a lost write.
        var lost = await JobIdAsync(harness, ids[1]);
        await harness.Database.ScalarAsync<object>(
            $"DELETE FROM hangfire.jobqueue WHERE jobid = {lost}; DELETE FROM hangfire.state WHERE jobid = {lost}; DELETE FROM hangfire.jobparameter WHERE jobid = {lost}; DELETE FROM hangfire.job WHERE id = {lost}; SELECT 1");

        harness.StartWorker("sweeper", WorkerSettings());
        var trials = await harness.WaitForFinalAsync(sweepId, TimeSpan.FromMinutes(1));

        Assert.All(trials, t => Assert.True(t is { State: "completed", Attempt: 1 }, $"{t}\n{harness.WorkerOutput()}"));
        Assert.Contains("Re-enqueued 2 queued trials", harness.WorkerOutput(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> WebSettings() => new()
    {
        ["SWEEP_ADMIN_EMAIL"] = SweepWebFactory.AdminEmail,
        ["SWEEP_ADMIN_PASSWORD"] = SweepWebFactory.AdminPassword,
        ["Examples__Folder"] = "/nonexistent",
    };

    /// <summary>A no-op trainer in process, and a queue sweep every second for trials queued over a second ago.</summary>
    private static Dictionary<string, string> WorkerSettings() => new()
    {
        ["Worker__NoopTrainer"] = "true",
        ["Worker__NoopInProcess"] = "true",
        ["Worker__QueueSweepSeconds"] = "1",
        ["Worker__QueueSweepGraceSeconds"] = "1",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static Task<long> JobCountAsync(FaultHarness harness) =>
        harness.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job");

    private static Task<long> JobIdAsync(FaultHarness harness, Guid trialId) =>
        harness.Database.ScalarAsync<long>($"SELECT id FROM hangfire.job WHERE arguments::text LIKE '%{trialId}%'");
}

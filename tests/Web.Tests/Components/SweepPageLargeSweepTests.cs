using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;
using Sweep.Web.Components.Pages;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>
/// The sweep page at a size where rendering every trial is what costs: the trial table, the curves' picker and the
/// plan per cell render one page each, and the live refresh reads only the trials written since its last read.
/// </summary>
public sealed class SweepPageLargeSweepTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A sweep of <paramref name="trials"/> trials stored as scripts/bench/seed-10k.sql stores them: B = 32 … 3200 ×
    /// regime 1 … 12, all completed except the first in grid order (B = 32, regime 1), which runs its first of 2 epochs.
    /// </summary>
    private async Task<Guid> CreateAsync(string name, int trials)
    {
        var spec = new SweepRequest
        {
            Name = name,
            Grid = new GridSpec { BatchSize = [32], GhostBatchSize = [32], RegimeMultiplier = [RegimeMultiplier.Fixed(1)] },
            Training = new TrainingRequest { Epochs = 2, LrDropEpochs = [] },
        }.ToSpec();
        var id = await db.CreateSweepAsync(spec);
        await db.ExecuteAsync(
            $"""
            DELETE FROM trials WHERE sweep_id = '{id}';
            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, priority,
                                current_epoch, total_epochs, created_at, started_at, finished_at, final_val_accuracy, final_wall_seconds)
            SELECT gen_random_uuid(), '{id}', 32 * (1 + i % 100), 32, 1 + (i / 100) % 12, 1,
                   CASE WHEN i = 0 THEN 'running' ELSE 'completed' END, 1, 0, CASE WHEN i = 0 THEN 1 ELSE 2 END, 2,
                   now(), now() - interval '1 hour', CASE WHEN i = 0 THEN NULL ELSE now() END,
                   CASE WHEN i = 0 THEN NULL ELSE 0.8 + i / 100000.0 END, 60
              FROM generate_series(0, {trials - 1}) AS i;
            """);
        return id;
    }

    /// <summary>
    /// Waits until every transaction older than the sweep's rows has ended, in the whole cluster (other tests' too):
    /// the live read rereads, to be safe, every row written after the oldest transaction still running.
    /// </summary>
    private async Task SettleAsync(Guid sweep)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await db.Database.ScalarAsync<bool>(
            $"""
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296 > max(xmin::text::bigint)
              FROM trials WHERE sweep_id = '{sweep}'
            """))
        {
            Assert.True(DateTime.UtcNow < deadline, "a transaction older than the sweep's rows kept running");
            await Task.Delay(100);
        }
    }

    /// <summary>Finishes the trials <paramref name="where"/> picks as a worker would: completed at epoch 2 of 2, with 0.5 validation accuracy.</summary>
    private Task FinishAsync(string where) =>
        db.ExecuteAsync($"UPDATE trials SET state = 'completed', current_epoch = 2, final_val_accuracy = 0.5, finished_at = now() WHERE {where}");

    [Fact]
    public async Task The_live_read_rereads_only_the_trials_written_since_the_last_read()
    {
        var id = await CreateAsync("live-read", 300);
        await SettleAsync(id);
        var reader = db.Query<LiveSweepQuery>();
        var first = await reader.LoadLiveAsync(id, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Equal(300, first.Detail.Trials.Count);

        // Nothing written: the same detail, so that the page has nothing to render again.
        var quiet = await reader.RefreshAsync(first, CancellationToken.None);
        Assert.Same(first.Detail, quiet!.Detail);

        var running = first.Detail.Trials[0];
        Assert.Equal((32, 1.0, TrialState.Running), (running.BatchSize, running.RegimeMultiplier, running.State));
        await FinishAsync($"id = '{running.Id}'");
        var after = await reader.RefreshAsync(quiet, CancellationToken.None);

        Assert.NotSame(first.Detail, after!.Detail);
        var changed = after.Detail.Trials[0];
        Assert.Equal((running.Id, TrialState.Completed, 2, 0.5), (changed.Id, changed.State, changed.CurrentEpoch, changed.Metrics[Sweep.Domain.Results.MetricNames.ValAccuracy]));
        Assert.Equal(300, after.Detail.Counts[TrialState.Completed]);

        // Every other trial is the very object read before: it was not read again.
        Assert.All(after.Detail.Trials.Skip(1).Zip(first.Detail.Trials.Skip(1)), pair => Assert.Same(pair.Second, pair.First));

        // A trial added to the sweep (an extension) joins in grid order.
        await db.ExecuteAsync(
            $"""
            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, priority, current_epoch, total_epochs, created_at)
            VALUES (gen_random_uuid(), '{id}', 16, 16, 1, 1, 'queued', 0, 0, 0, 2, now())
            """);
        var extended = await reader.RefreshAsync(after, CancellationToken.None);
        Assert.Equal(301, extended!.Detail.Trials.Count);
        Assert.Equal((16, TrialState.Queued), (extended.Detail.Trials[0].BatchSize, extended.Detail.Trials[0].State));
        Assert.True(extended.Watermark >= after.Watermark);
    }

    [Fact]
    public async Task The_next_page_over_a_sweep_brings_the_shared_read_up_to_date_instead_of_reading_every_trial()
    {
        var id = await CreateAsync("shared-read", 300);
        await SettleAsync(id);
        var reader = db.Query<LiveSweepQuery>();
        var first = await reader.LoadLiveAsync(id, CancellationToken.None);

        // Between the two pages: a trial finishes, and a teammate writes a note (the sweep's row alone).
        var running = first!.Detail.Trials[0];
        await FinishAsync($"id = '{running.Id}'");
        await db.ExecuteAsync($"UPDATE sweeps SET notes = 'B = 3200 diverged at first; rerun with warm-up.', tags = ARRAY['rerun'] WHERE id = '{id}'");
        var next = await reader.LoadLiveAsync(id, CancellationToken.None);

        Assert.Equal((TrialState.Completed, 0.5), (next!.Detail.Trials[0].State, next.Detail.Trials[0].Metrics[Sweep.Domain.Results.MetricNames.ValAccuracy]));
        Assert.Equal("B = 3200 diverged at first; rerun with warm-up.", next.Detail.Notes);
        Assert.Equal(["rerun"], next.Detail.Tags);
        Assert.All(next.Detail.Trials.Skip(1).Zip(first.Detail.Trials.Skip(1)), pair => Assert.Same(pair.Second, pair.First));

        // A note alone changes what a live page shows on its next tick too.
        await db.ExecuteAsync($"UPDATE sweeps SET notes = 'Done.' WHERE id = '{id}'");
        Assert.Equal("Done.", (await reader.RefreshAsync(next, CancellationToken.None))!.Detail.Notes);

        // The cache keeps no sweep larger than its bound, and none at all at 0.
        foreach (var bound in new[] { 0, 300 })
        {
            using var cache = new LiveSweepCache(Microsoft.Extensions.Options.Options.Create(new Sweep.Web.Api.SweepApiOptions { SweepPageCacheTrials = bound }));
            cache.Set(next);
            Assert.Null(cache.Get(id));
        }
    }

    [Fact]
    public async Task A_large_sweep_renders_one_page_of_trials_and_of_the_picker_and_refreshes_live()
    {
        var id = await CreateAsync("large-page", 1_200);
        using var context = db.CreateContext();
        context.Services.AddScoped<CurveReader>();
        context.Services.AddScoped<SweepLifecycle>();
        context.Services.AddScoped<SweepNotes>();
        context.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var cut = context.Render<SweepPage>(p => p.Add(s => s.Id, id));

        cut.WaitForAssertion(() => Assert.Equal(TrialTable.PageSize, cut.FindAll("#trials tbody tr").Count), Wait);
        Assert.Equal("1–50 of 1,200", cut.Find("#trials-pager-range").TextContent);
        Assert.Equal(Sweep.Web.Components.SweepCurves.PageSize, cut.FindAll("#trial-picker li").Count);
        Assert.Equal("1–50 of 1,200", cut.Find("#picker-pager-range").TextContent);
        Assert.Equal(SweepConfigPanel.PlanPageSize, cut.FindAll("#config-plan tr.plan-row").Count);
        Assert.Equal("1–50 of 1,200", cut.Find("#config-plan-pager-range").TextContent);
        Assert.NotEqual("0", cut.Find("#heatmap-container").GetAttribute("data-cells"));
        Assert.Contains("running", cut.Find("#trials tbody tr").ClassName);

        // The running trial finishes: the next tick shows it without reloading the page.
        await FinishAsync($"sweep_id = '{id}' AND state = 'running'");
        cut.WaitForAssertion(() => Assert.Contains("completed", cut.Find("#trials tbody tr").ClassName), Wait);
        Assert.Equal(TrialTable.PageSize, cut.FindAll("#trials tbody tr").Count);

        // Paging keeps the table at one page of rows.
        await cut.InvokeAsync(() => cut.Find("#trials-pager-next").Click());
        cut.WaitForAssertion(() => Assert.Equal("51–100 of 1,200", cut.Find("#trials-pager-range").TextContent), Wait);
        Assert.Equal(TrialTable.PageSize, cut.FindAll("#trials tbody tr").Count);
    }
}

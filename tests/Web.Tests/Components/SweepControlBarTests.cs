using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The sweep page's control bar over a real database: the pending state of an action, and the confirmation of a large retry.</summary>
public sealed class SweepControlBarTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_action_shows_its_pending_state_until_it_is_stored_and_a_retry_of_many_asks_first()
    {
        // 12 cells: 11 failed, one still queued.
        var id = await db.CreateSweepAsync(new SweepSpec
        {
            Name = "control-bar",
            Grid = new GridSpec { BatchSize = [64, 128], GhostBatchSize = [32] },
            Training = new TrainingSpec { Epochs = 1, LrDropEpochs = [], Seeds = [1, 2, 3, 4, 5, 6] },
        });
        await db.ExecuteAsync($"UPDATE trials SET state = 'failed' WHERE id IN (SELECT id FROM trials WHERE sweep_id = '{id}' ORDER BY id LIMIT 11)");
        var sweep = (await db.Query<SweepDetailQuery>().GetAsync(id, CancellationToken.None))!;

        using var context = db.CreateContext();
        context.Services.AddScoped<SweepLifecycle>();
        var gate = new TaskCompletionSource<bool>();
        var changed = 0;
        var cut = context.Render<SweepControlBar>(p => p
            .Add(c => c.Sweep, sweep)
            .Add(c => c.CanEdit, true)
            .Add(c => c.Authorize, () => gate.Task)
            .Add(c => c.OnChanged, () => changed++));

        // While the action runs, its button says so and every control waits.
        await cut.InvokeAsync(() => cut.Find("#pause-sweep").Click());
        var pause = cut.Find("#pause-sweep");
        Assert.Equal("Pausing…", pause.TextContent);
        Assert.Equal("true", pause.GetAttribute("aria-busy"));
        Assert.True(pause.HasAttribute("disabled"));
        Assert.True(cut.Find("#resume-sweep").HasAttribute("disabled"));
        Assert.Equal("true", cut.Find("#sweep-controls").GetAttribute("aria-busy"));

        gate.SetResult(true);
        cut.WaitForAssertion(() => Assert.StartsWith("Paused", cut.Find("#control-status").TextContent), Wait);
        Assert.Equal("Pause", cut.Find("#pause-sweep").TextContent);
        Assert.Equal(1, changed);
        Assert.Equal("paused", await db.Database.ScalarAsync<string>($"SELECT state FROM sweeps WHERE id = '{id}'"));

        // Eleven failed trials: the retry asks first, and nothing is requeued until it is confirmed.
        await cut.InvokeAsync(() => cut.Find("#retry-failed-sweep").Click());
        Assert.Contains("Requeue all 11 failed trials?", cut.Find("#retry-question").TextContent);
        Assert.Equal(11L, await db.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{id}' AND state = 'failed'"));

        await cut.InvokeAsync(() => cut.Find("#retry-confirm").Click());
        cut.WaitForAssertion(() => Assert.Equal("Requeued 11 failed trials.", cut.Find("#control-status").TextContent), Wait);
        Assert.Equal(0L, await db.Database.ScalarAsync<long>($"SELECT count(*) FROM trials WHERE sweep_id = '{id}' AND state = 'failed'"));
    }

    [Fact]
    public async Task A_viewer_sees_the_controls_disabled_with_the_reason_read_out()
    {
        var id = await db.CreateSweepAsync(new SweepSpec { Name = "viewer-bar", Grid = new GridSpec { BatchSize = [64], GhostBatchSize = [32] }, Training = new TrainingSpec { Epochs = 1, LrDropEpochs = [] } });
        var sweep = (await db.Query<SweepDetailQuery>().GetAsync(id, CancellationToken.None))!;

        using var context = db.CreateContext();
        context.Services.AddScoped<SweepLifecycle>();
        var cut = context.Render<SweepControlBar>(p => p.Add(c => c.Sweep, sweep).Add(c => c.CanEdit, false).Add(c => c.Authorize, () => Task.FromResult(false)));

        foreach (var name in new[] { "pause", "resume", "cancel", "retry-failed", "extend" })
        {
            var button = cut.Find($"#{name}-sweep");
            Assert.True(button.HasAttribute("disabled"), name);
            Assert.Equal(SweepActions.ViewerReason, button.GetAttribute("title"));
            Assert.Equal(SweepActions.ViewerReason, cut.Find("#" + button.GetAttribute("aria-describedby")).TextContent);
        }
    }
}

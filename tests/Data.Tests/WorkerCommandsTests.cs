using Sweep.Data.Commands;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Tests;

/// <summary>Who paused a worker decides what a restart does: an administrator's pause outlives it, the worker's own does not.</summary>
public sealed class WorkerCommandsTests(StateDatabase db) : IClassFixture<StateDatabase>
{
    private WorkerCommands Workers => db.Commands.Workers;

    private Task<string> RegisterAsync(string name) => Workers.RegisterAsync(name, "host-1", "cpu", "0.1.0", "default,cpu", CancellationToken.None);

    [Fact]
    public async Task A_restart_keeps_an_administrators_pause_until_it_is_resumed()
    {
        Assert.Equal(WorkerState.Active, await RegisterAsync("admin-paused"));
        Assert.True(await Workers.PauseAsync("admin-paused", WorkerPausedBy.Administrator, "Paused through the API.", CancellationToken.None));

        // A clean restart (stopped, then registered) and a crash restart (registered again while paused) both keep it.
        await Workers.MarkStoppedAsync("admin-paused", CancellationToken.None);
        Assert.Equal(WorkerState.Paused, await RegisterAsync("admin-paused"));
        Assert.Equal(WorkerState.Paused, await RegisterAsync("admin-paused"));
        Assert.Equal(new WorkerRow(WorkerState.Paused, WorkerPausedBy.Administrator, "Paused through the API.", 0), await db.WorkerAsync("admin-paused"));
        Assert.Equal(WorkerState.Paused, await Workers.HeartbeatAsync("admin-paused", null, CancellationToken.None));

        Assert.True(await Workers.ResumeAsync("admin-paused", CancellationToken.None));
        Assert.Equal(new WorkerRow(WorkerState.Active, null, null, 0), await db.WorkerAsync("admin-paused"));
        Assert.Equal(WorkerState.Active, await RegisterAsync("admin-paused"));
    }

    [Fact]
    public async Task A_restart_clears_a_pause_the_worker_gave_itself_and_its_failures_in_a_row()
    {
        await RegisterAsync("self-paused");
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, await Workers.RecordOutcomeAsync("self-paused", failed: true, CancellationToken.None));
        }

        Assert.True(await Workers.PauseAsync("self-paused", WorkerPausedBy.Worker, "3 trials in a row failed on this worker.", CancellationToken.None));
        Assert.Equal(new WorkerRow(WorkerState.Paused, WorkerPausedBy.Worker, "3 trials in a row failed on this worker.", 3), await db.WorkerAsync("self-paused"));

        Assert.Equal(WorkerState.Active, await RegisterAsync("self-paused"));
        Assert.Equal(new WorkerRow(WorkerState.Active, null, null, 0), await db.WorkerAsync("self-paused"));
    }

    [Fact]
    public async Task A_self_pause_does_not_replace_an_administrators_pause_and_nothing_pauses_a_stopped_worker()
    {
        await RegisterAsync("both");
        Assert.True(await Workers.PauseAsync("both", WorkerPausedBy.Administrator, "Paused through the API.", CancellationToken.None));
        Assert.False(await Workers.PauseAsync("both", WorkerPausedBy.Worker, "failures", CancellationToken.None));
        Assert.Equal(WorkerPausedBy.Administrator, (await db.WorkerAsync("both")).PausedBy);

        await RegisterAsync("stopped");
        await Workers.MarkStoppedAsync("stopped", CancellationToken.None);
        Assert.False(await Workers.PauseAsync("stopped", WorkerPausedBy.Administrator, "Paused through the API.", CancellationToken.None));
        Assert.False(await Workers.ResumeAsync("stopped", CancellationToken.None));
        Assert.False(await Workers.ResumeAsync("nobody", CancellationToken.None));
        Assert.Null(await Workers.HeartbeatAsync("nobody", null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Workers.PauseAsync("both", "someone", "why", CancellationToken.None));
    }
}

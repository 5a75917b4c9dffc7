using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests;

/// <summary>Which sweep controls apply in which state, and the reasons the disabled ones give.</summary>
public sealed class SweepActionsTests
{
    private static Dictionary<string, int> Counts(int queued = 0, int running = 0, int completed = 0, int failed = 0) => new()
    {
        [TrialState.Queued] = queued,
        [TrialState.Running] = running,
        [TrialState.Completed] = completed,
        [TrialState.Failed] = failed,
    };

    [Fact]
    public void A_running_sweep_can_be_paused_and_cancelled_but_not_resumed()
    {
        var counts = Counts(queued: 3, running: 1);

        Assert.True(SweepActions.Pause(true, "active", counts).Enabled);
        Assert.True(SweepActions.Cancel(true, "active", counts).Enabled);
        Assert.Equal("Nothing to resume: the sweep is running.", SweepActions.Resume(true, "active", counts).Reason);
        Assert.Equal("No failed trials.", SweepActions.RetryFailed(true, counts).Reason);
        Assert.True(SweepActions.Extend(true, "active").Enabled);
    }

    [Fact]
    public void A_paused_sweep_resumes_a_finished_one_has_nothing_to_pause_or_cancel_and_a_cancelled_one_takes_no_new_cells()
    {
        Assert.True(SweepActions.Resume(true, "paused", Counts(queued: 2)).Enabled);
        Assert.Equal("Already paused: no new trial starts.", SweepActions.Pause(true, "paused", Counts(queued: 2)).Reason);
        Assert.Equal("Nothing to pause: no trial is queued or running.", SweepActions.Pause(true, "active", Counts(completed: 4)).Reason);
        Assert.Equal("Nothing to cancel: every trial has finished.", SweepActions.Cancel(true, "active", Counts(completed: 4)).Reason);
        Assert.False(SweepActions.Extend(true, "cancelled").Enabled);
        Assert.True(SweepActions.RetryFailed(true, Counts(failed: 1)).Enabled);
    }

    [Fact]
    public void A_viewer_sees_every_control_disabled_with_the_reason_and_a_large_retry_asks_first()
    {
        var counts = Counts(queued: 1, failed: SweepActions.RetryConfirmAbove + 1);

        Assert.All(
            new[] { SweepActions.Pause(false, "active", counts), SweepActions.Cancel(false, "active", counts), SweepActions.RetryFailed(false, counts), SweepActions.Extend(false, "active") },
            a => Assert.Equal(SweepActions.ViewerReason, a.Reason));
        Assert.True(SweepActions.RetryNeedsConfirm(counts));
        Assert.False(SweepActions.RetryNeedsConfirm(Counts(failed: 2)));
    }
}

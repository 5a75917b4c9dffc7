using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Whether a control applies now, and if not, why, in words the button can carry.</summary>
public sealed record ActionAvailability(bool Enabled, string? Reason)
{
    public static ActionAvailability Yes { get; } = new(true, null);

    public static ActionAvailability No(string reason) => new(false, reason);
}

/// <summary>
/// Which sweep-level controls apply to a sweep in its current state, as <see cref="SweepLifecycle"/> will judge them:
/// pause an active sweep with work left, resume a paused one, cancel one that is not finished or cancelled, retry
/// failed trials when there are some, extend one that is not cancelled. Editors only.
/// </summary>
public static class SweepActions
{
    /// <summary>A retry that requeues more trials than this asks first: they go to the back of the queue again.</summary>
    public const int RetryConfirmAbove = 10;

    public const string ViewerReason = "You can view this sweep but not change it: ask an editor of its project.";

    public static ActionAvailability Pause(bool canEdit, string state, IReadOnlyDictionary<string, int> counts) =>
        !canEdit ? ActionAvailability.No(ViewerReason)
        : SweepStatus.Of(state, counts) switch
        {
            SweepStatus.Running or SweepStatus.Queued => ActionAvailability.Yes,
            SweepStatus.Paused => ActionAvailability.No("Already paused: no new trial starts."),
            SweepStatus.Cancelled => ActionAvailability.No("Nothing to pause: the sweep is cancelled."),
            _ => ActionAvailability.No("Nothing to pause: no trial is queued or running."),
        };

    public static ActionAvailability Resume(bool canEdit, string state, IReadOnlyDictionary<string, int> counts) =>
        !canEdit ? ActionAvailability.No(ViewerReason)
        : SweepStatus.Of(state, counts) switch
        {
            SweepStatus.Paused => ActionAvailability.Yes,
            SweepStatus.Running => ActionAvailability.No("Nothing to resume: the sweep is running."),
            SweepStatus.Queued => ActionAvailability.No("Nothing to resume: the sweep is active; its trials wait for a worker."),
            SweepStatus.Cancelled => ActionAvailability.No("A cancelled sweep cannot be resumed: clone it to run its cells again."),
            _ => ActionAvailability.No("Nothing to resume: every trial has finished."),
        };

    public static ActionAvailability Cancel(bool canEdit, string state, IReadOnlyDictionary<string, int> counts) =>
        !canEdit ? ActionAvailability.No(ViewerReason)
        : SweepStatus.Of(state, counts) switch
        {
            SweepStatus.Cancelled => ActionAvailability.No("Already cancelled."),
            SweepStatus.Finished => ActionAvailability.No("Nothing to cancel: every trial has finished."),
            _ => ActionAvailability.Yes,
        };

    public static ActionAvailability RetryFailed(bool canEdit, IReadOnlyDictionary<string, int> counts) =>
        !canEdit ? ActionAvailability.No(ViewerReason)
        : counts.GetValueOrDefault(TrialState.Failed) > 0 ? ActionAvailability.Yes
        : ActionAvailability.No("No failed trials.");

    public static ActionAvailability Extend(bool canEdit, string state) =>
        !canEdit ? ActionAvailability.No(ViewerReason)
        : state == SweepStatus.Cancelled ? ActionAvailability.No(SweepExtended.CancelledReason)
        : ActionAvailability.Yes;

    /// <summary>Whether retrying asks first: it requeues many trials.</summary>
    public static bool RetryNeedsConfirm(IReadOnlyDictionary<string, int> counts) => counts.GetValueOrDefault(TrialState.Failed) > RetryConfirmAbove;
}

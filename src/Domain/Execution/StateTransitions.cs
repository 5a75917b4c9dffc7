using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Execution;

/// <summary>
/// Every state change of trials, sweeps and workers, in one place. Each command in src/Data/Commands is a
/// conditional UPDATE whose WHERE clause accepts exactly the From states listed for it here, so a command run on a
/// row in any other state changes nothing (the caller reads that as a conflict, or as "not yours any more").
/// Data.Tests' StateTransitionTableTests runs every command from every state and checks it against this table.
/// See docs/decisions/0009-state-changes-are-named-raw-sql-commands.md.
/// </summary>
public static class StateTransitions
{
    public const string Claim = "TrialCommands.Claim";
    public const string Complete = "TrialCommands.Complete";
    public const string Fail = "TrialCommands.Fail";
    public const string Release = "TrialCommands.Release";
    public const string ReapExpired = "TrialCommands.ReapExpired";
    public const string CancelTrial = "TrialCommands.Cancel";
    public const string RetryTrial = "TrialCommands.Retry";

    public const string PauseSweep = "SweepCommands.Pause";
    public const string ResumeSweep = "SweepCommands.Resume";
    public const string CancelSweep = "SweepCommands.Cancel";
    public const string RetryFailed = "SweepCommands.RetryFailed";
    public const string ReactivateSweep = "SweepCommands.Reactivate";

    public const string RegisterWorker = "WorkerCommands.Register";
    public const string PauseWorker = "WorkerCommands.Pause";
    public const string ResumeWorker = "WorkerCommands.Resume";
    public const string StopWorker = "WorkerCommands.MarkStopped";

    /// <summary>
    /// A trial is created queued. Only a worker's claim starts it; only the holder of the current lease generation
    /// ends it; a final trial leaves its state only by a retry.
    /// </summary>
    public static StateMachine Trial { get; } = new("trial", TrialState.Queued, TrialState.All,
    [
        new(TrialState.Queued, TrialState.Running, Claim),
        new(TrialState.Running, TrialState.Running, Claim), // takeover of an expired lease: a new generation
        new(TrialState.Running, TrialState.Completed, Complete),
        new(TrialState.Running, TrialState.Failed, Fail),
        new(TrialState.Running, TrialState.Queued, Release),
        new(TrialState.Running, TrialState.Queued, ReapExpired), // attempts left: another worker resumes it
        new(TrialState.Running, TrialState.Failed, ReapExpired), // max_attempts reached: failed as lost
        new(TrialState.Queued, TrialState.Cancelled, CancelTrial),
        new(TrialState.Running, TrialState.Cancelled, CancelTrial),
        new(TrialState.Queued, TrialState.Cancelled, CancelSweep),
        new(TrialState.Running, TrialState.Cancelled, CancelSweep),
        new(TrialState.Failed, TrialState.Queued, RetryTrial),
        new(TrialState.Cancelled, TrialState.Queued, RetryTrial),
        new(TrialState.Failed, TrialState.Queued, RetryFailed),
    ]);

    /// <summary>
    /// A sweep is created active. Cancelling it cancels its unfinished trials in the same statement; retrying a
    /// trial of a cancelled sweep reopens it, while a paused sweep stays paused through a retry.
    /// </summary>
    public static StateMachine Sweep { get; } = new("sweep", SweepState.Active, SweepState.All,
    [
        new(SweepState.Active, SweepState.Paused, PauseSweep),
        new(SweepState.Paused, SweepState.Active, ResumeSweep),
        new(SweepState.Active, SweepState.Cancelled, CancelSweep),
        new(SweepState.Paused, SweepState.Cancelled, CancelSweep),
        new(SweepState.Cancelled, SweepState.Active, ReactivateSweep),
        new(SweepState.Cancelled, SweepState.Active, RetryFailed), // only when it requeues a trial
        new(SweepState.Cancelled, SweepState.Active, RetryTrial),
    ]);

    /// <summary>
    /// A worker registers itself active. A restart (a stop, or a crash, then a registration) keeps an
    /// administrator's pause and clears the worker's own; only the next registration brings a stopped worker back.
    /// </summary>
    public static StateMachine Worker { get; } = new("worker", WorkerState.Active, WorkerState.All,
    [
        new(WorkerState.Active, WorkerState.Active, RegisterWorker),
        new(WorkerState.Stopped, WorkerState.Active, RegisterWorker),
        new(WorkerState.Paused, WorkerState.Active, RegisterWorker), // paused by the worker itself
        new(WorkerState.Paused, WorkerState.Paused, RegisterWorker), // paused by an administrator
        new(WorkerState.Stopped, WorkerState.Paused, RegisterWorker), // stopped while an administrator's pause held
        new(WorkerState.Active, WorkerState.Paused, PauseWorker),
        new(WorkerState.Paused, WorkerState.Paused, PauseWorker), // an administrator's pause takes over a self-pause
        new(WorkerState.Active, WorkerState.Active, ResumeWorker),
        new(WorkerState.Paused, WorkerState.Active, ResumeWorker),
        new(WorkerState.Active, WorkerState.Stopped, StopWorker),
        new(WorkerState.Paused, WorkerState.Stopped, StopWorker),
        new(WorkerState.Stopped, WorkerState.Stopped, StopWorker),
    ]);

    public static IReadOnlyList<StateMachine> All { get; } = [Trial, Sweep, Worker];
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Webhooks;

/// <summary>The event types a webhook subscribes to. Stored and sent as these words.</summary>
public static class WebhookEvents
{
    /// <summary>An active sweep has no queued or running trial left; the payload counts its trials by state.</summary>
    public const string SweepFinished = "sweep.finished";

    /// <summary>A trial failed with an error (the trainer crashed or the worker failed around it).</summary>
    public const string TrialFailed = "trial.failed";

    /// <summary>A trial's training or evaluation loss became NaN or infinite.</summary>
    public const string TrialDiverged = "trial.diverged";

    public const string TrialOutOfMemory = "trial.out-of-memory";

    public const string TrialStalled = "trial.stalled";

    /// <summary>Its lease expired on every attempt: the reaper gave up on it.</summary>
    public const string TrialLost = "trial.lost";

    /// <summary>A worker paused itself after failures in a row; sent to the project of the trial that tipped it.</summary>
    public const string WorkerPaused = "worker.paused";

    /// <summary>The owner's "send test"; every hook receives it, whatever it subscribed to.</summary>
    public const string Test = "test";

    /// <summary>What a hook may subscribe to (<see cref="Test"/> is not subscribed to; it always arrives).</summary>
    public static IReadOnlyList<string> All { get; } =
        [SweepFinished, TrialFailed, TrialDiverged, TrialOutOfMemory, TrialStalled, TrialLost, WorkerPaused];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>The event for a failed trial's <see cref="FailureKind"/>; null for a kind that is no failure to tell (cancelled).</summary>
    public static string? ForFailure(string? kind) => kind switch
    {
        FailureKind.Diverged or FailureKind.EvaluationNan => TrialDiverged,
        FailureKind.OutOfMemory => TrialOutOfMemory,
        FailureKind.Stalled => TrialStalled,
        FailureKind.Lost => TrialLost,
        FailureKind.Cancelled => null,
        _ => TrialFailed,
    };
}

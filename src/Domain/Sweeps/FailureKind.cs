namespace Sweep.Domain.Sweeps;

/// <summary>Why a failed trial failed (<c>trials.failure_kind</c>), as the trainer reports it or the worker decides.</summary>
public static class FailureKind
{
    /// <summary>The training loss became NaN or infinite: the cell's own outcome.</summary>
    public const string Diverged = "diverged";

    /// <summary>The evaluation loss became NaN or infinite while the training loss stayed finite: the cell's own outcome.</summary>
    public const string EvaluationNan = "evaluation-nan";

    /// <summary>The device ran out of memory for this cell.</summary>
    public const string OutOfMemory = "out-of-memory";

    /// <summary>Anything else: the trainer crashed or exited badly, or the worker failed around it.</summary>
    public const string Error = "error";

    /// <summary>Its lease expired on every one of its attempts (the reaper decides this, not a worker).</summary>
    public const string Lost = "lost";

    /// <summary>The trainer made no progress for too long and was killed.</summary>
    public const string Stalled = "stalled";

    /// <summary>
    /// The trainer stopped because it was asked to. The trainer reports it; the worker does not store it, because
    /// a stop on request means the trial was cancelled or taken from it, and the trial row already says so.
    /// </summary>
    public const string Cancelled = "cancelled";

    /// <summary>
    /// True for the kinds that say something about the cell rather than the worker (divergence, a NaN evaluation,
    /// a cell too big for the device): they do not count toward the worker's failures in a row, so that a few
    /// oversized cells cannot pause every worker that tries them.
    /// </summary>
    public static bool IsTheTrials(string kind) => kind is Diverged or EvaluationNan or OutOfMemory;

    public static IReadOnlyList<string> All { get; } = [Diverged, EvaluationNan, OutOfMemory, Error, Lost, Stalled, Cancelled];
}

namespace Sweep.Domain.Results;

/// <summary>The artifact guards' flag names, as stored, sent by the API and shown as badges.</summary>
public static class GuardFlags
{
    /// <summary>The initial running statistics still hold more than 1 % of their weight in the buffers evaluation uses.</summary>
    public const string RunningStats = "running-stats";

    /// <summary>Train-mode and eval-mode train accuracy differ by more than the threshold: the statistics do not match the weights.</summary>
    public const string TrainEvalMismatch = "train-eval-mismatch";

    /// <summary>Fewer than 100 optimizer updates.</summary>
    public const string FewUpdates = "few-updates";

    /// <summary>The cell's clean train accuracy is far below the baseline's: its gap is mostly optimization, not generalization.</summary>
    public const string OptimizationGap = "optimization-gap";

    public static IReadOnlyList<string> All { get; } = [RunningStats, TrainEvalMismatch, FewUpdates, OptimizationGap];
}

using Sweep.Domain.Results;

namespace Sweep.Web.Sweeps;

/// <summary>The metric keys a trial records, as the curves API accepts them.</summary>
public static class CurveKeys
{
    public const string RunningTrainLoss = "runningTrainLoss";
    public const string RunningTrainAccuracy = "runningTrainAccuracy";
    public const string LearningRate = "learningRate";
    public const string SamplesPerSecond = MetricNames.SamplesPerSecond;
    public const string GradientNoiseScale = "gradientNoiseScale";

    /// <summary>Prefix of the per-layer distances, e.g. weightDistance.layers.0.weight.</summary>
    public const string LayerDistancePrefix = MetricNames.WeightDistance + ".";

    /// <summary>Recorded every epoch (gradientNoiseScale only when asked for); weightDistance also every N steps.</summary>
    public static IReadOnlyList<string> PerEpoch { get; } =
    [
        MetricNames.TrainLoss, MetricNames.TrainAccuracy, RunningTrainLoss, RunningTrainAccuracy,
        MetricNames.ValLoss, MetricNames.ValAccuracy, MetricNames.GeneralizationGap, MetricNames.WeightDistance,
        LearningRate, MetricNames.Steps, SamplesPerSecond, MetricNames.WallSeconds, GradientNoiseScale,
        MetricNames.RunningStatsInitialWeight, MetricNames.TrainEvalModeDelta, MetricNames.PeakRssMiB, MetricNames.CpuSeconds,
    ];

    /// <summary>What the curves endpoint returns when no keys are named: the learning curves.</summary>
    public static IReadOnlyList<string> Default { get; } =
        [MetricNames.TrainLoss, MetricNames.ValLoss, MetricNames.TrainAccuracy, MetricNames.ValAccuracy];

    /// <summary>A per-epoch key, or weightDistance.&lt;layer&gt; with a parameter name of letters, digits, '.', '_' or '-'.</summary>
    public static bool IsKnown(string key) =>
        PerEpoch.Contains(key)
        || (key.StartsWith(LayerDistancePrefix, StringComparison.Ordinal)
            && key.Length > LayerDistancePrefix.Length
            && key.Length <= 128
            && key.AsSpan(LayerDistancePrefix.Length).IndexOfAnyExcept(LayerNameChars) < 0);

    private static readonly System.Buffers.SearchValues<char> LayerNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
}

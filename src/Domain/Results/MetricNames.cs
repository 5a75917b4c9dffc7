namespace Sweep.Domain.Results;

/// <summary>The final metrics every completed trial reports (keys as stored and sent by the API).</summary>
public static class MetricNames
{
    public const string TrainLoss = "trainLoss";
    public const string TrainAccuracy = "trainAccuracy";
    public const string ValLoss = "valLoss";
    public const string ValAccuracy = "valAccuracy";
    public const string GeneralizationGap = "generalizationGap";
    public const string WeightDistance = "weightDistance";
    public const string Steps = "steps";
    public const string WallSeconds = "wallSeconds";

    public static IReadOnlyList<string> Final { get; } =
        [TrainLoss, TrainAccuracy, ValLoss, ValAccuracy, GeneralizationGap, WeightDistance, Steps, WallSeconds];

    public static bool IsKnown(string name) => Final.Contains(name);
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Results;

/// <summary>The swept values a result can be projected on, named as in the API.</summary>
public enum GridAxis
{
    BatchSize,
    GhostBatchSize,
    RegimeMultiplier,
    Seed,
    LrScaling,
    GbnImplementation,
    RunningStats,
}

public static class GridAxes
{
    public static IReadOnlyList<GridAxis> All { get; } = Enum.GetValues<GridAxis>();

    /// <summary>The API name of an axis: camelCase, as in the sweep spec.</summary>
    public static string ApiName(this GridAxis axis) => axis switch
    {
        GridAxis.BatchSize => "batchSize",
        GridAxis.GhostBatchSize => "ghostBatchSize",
        GridAxis.RegimeMultiplier => "regimeMultiplier",
        GridAxis.Seed => "seed",
        GridAxis.LrScaling => "lrScaling",
        GridAxis.GbnImplementation => "gbnImplementation",
        GridAxis.RunningStats => "runningStats",
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };

    /// <summary>How an axis reads on a page: its name and symbol, never the API key.</summary>
    public static string DisplayName(this GridAxis axis) => axis switch
    {
        GridAxis.BatchSize => "batch size B",
        GridAxis.GhostBatchSize => "ghost batch size G",
        GridAxis.RegimeMultiplier => "regime multiplier r",
        GridAxis.Seed => "seed",
        GridAxis.LrScaling => "LR scaling",
        GridAxis.GbnImplementation => "ghost BN implementation",
        GridAxis.RunningStats => "running statistics",
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };

    /// <summary>True for axes whose values are names (rules, implementations, policies), not numbers.</summary>
    public static bool IsCategorical(this GridAxis axis) => axis is GridAxis.LrScaling or GridAxis.GbnImplementation or GridAxis.RunningStats;

    /// <summary>How a value of the axis reads: the number, or the name of a categorical value (its ordinal on the wire).</summary>
    public static string Label(this GridAxis axis, double value) => axis switch
    {
        GridAxis.LrScaling => ApiNames.Of((LrScaling)(int)value),
        GridAxis.GbnImplementation => ApiNames.Of((GbnImplementation)(int)value),
        GridAxis.RunningStats => ApiNames.Of((RunningStatsPolicy)(int)value),
        _ => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a categorical value by its API name (e.g. "sqrt") into the number the projection uses.</summary>
    public static double? ParseCategory(this GridAxis axis, string text) => axis switch
    {
        GridAxis.LrScaling => (int?)ApiNames.TryParse<LrScaling>(text),
        GridAxis.GbnImplementation => (int?)ApiNames.TryParse<GbnImplementation>(text),
        GridAxis.RunningStats => (int?)ApiNames.TryParse<RunningStatsPolicy>(text),
        _ => null,
    };

    public static bool TryParse(string? name, out GridAxis axis)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ApiName(), name, StringComparison.OrdinalIgnoreCase))
            {
                axis = candidate;
                return true;
            }
        }

        axis = default;
        return false;
    }
}

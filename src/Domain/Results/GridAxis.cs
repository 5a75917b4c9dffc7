namespace Sweep.Domain.Results;

/// <summary>The swept values a result can be projected on, named as in the API.</summary>
public enum GridAxis
{
    BatchSize,
    GhostBatchSize,
    RegimeMultiplier,
    Seed,
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
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
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

namespace Sweep.Web.Sweeps;

/// <summary>Filters and order for a sweep's trial list.</summary>
public sealed record TrialFilter(
    string? State = null,
    int? BatchSize = null,
    int? GhostBatchSize = null,
    double? RegimeMultiplier = null,
    int? Seed = null,
    double? MinValAccuracy = null,
    string? OrderBy = null,
    bool Descending = false,
    string? Cursor = null,
    int Limit = 100)
{
    /// <summary>The optional swept axes, in their stored spelling (sqrt, vectorized, sequential, …).</summary>
    public string? LrScaling { get; init; }

    public string? GbnImplementation { get; init; }

    public string? RunningStats { get; init; }
}

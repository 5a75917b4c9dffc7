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
    int Limit = 100);

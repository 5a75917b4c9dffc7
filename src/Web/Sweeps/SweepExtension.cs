using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Values to add to a sweep's axes; each list may be left out.</summary>
public sealed record SweepExtension(
    IReadOnlyList<int>? BatchSize = null,
    IReadOnlyList<int>? GhostBatchSize = null,
    IReadOnlyList<RegimeMultiplier>? RegimeMultiplier = null,
    IReadOnlyList<int>? Seeds = null);

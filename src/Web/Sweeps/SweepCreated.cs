using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>What creating a sweep made: its id, the trials stored, and the invalid cells it skipped.</summary>
public sealed record SweepCreated(Guid Id, int TrialCount, int SkippedCells, IReadOnlyList<InvalidCell> InvalidCells);

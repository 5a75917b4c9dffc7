using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>Cells with the default values of the optional axes, for tests about the size axes.</summary>
internal static class Cells
{
    public static TrialCell Of(int batch, int ghost, double regime, int seed, LrScaling rule = LrScaling.Sqrt) =>
        new(batch, ghost, regime, seed, rule, GbnImplementation.Vectorized, RunningStatsPolicy.Sequential);
}

namespace Sweep.Domain.Statistics;

/// <summary>Differences of means between a reference group and a cell, each given as values by seed.</summary>
public static class Differences
{
    /// <summary>
    /// reference − cell with its 95 % interval: paired by seed over the seeds both have when there are at least two
    /// such seeds, else Welch's unpaired interval; null when either side has no finite value. (Contract.)
    /// </summary>
    public static Difference? Between(IReadOnlyDictionary<int, double> reference, IReadOnlyDictionary<int, double> cell) =>
        throw new NotImplementedException();
}

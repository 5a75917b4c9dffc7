namespace Sweep.Domain.Results;

/// <summary>Fits ‖w − w0‖ against steps on the window the paper's argument covers, and tests the log law. (Contract.)</summary>
public static class DistanceFits
{
    /// <summary>A slope needs its window to span at least this many decades of steps.</summary>
    public const double MinimumDecades = 1.0;

    /// <summary>
    /// Fits the points with step ≥ 1 and step &lt; <paramref name="firstDropStep"/> (all points when null).
    /// </summary>
    public static DistanceFitReport Analyze(IEnumerable<(double Step, double Distance)> points, double? firstDropStep) =>
        throw new NotImplementedException();
}

namespace Sweep.Domain.Planning;

/// <summary>
/// Geometrically spaced steps for recording ‖w − w0‖: ⌈1.25^k⌉ without repeats (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, …),
/// about ten points per decade, so that a run of 12 steps still gives a curve. (Contract.)
/// </summary>
public static class GeometricSchedule
{
    public const double Ratio = 1.25;

    /// <summary>True when <paramref name="step"/> (≥ 1) is on the schedule.</summary>
    public static bool Contains(long step) => throw new NotImplementedException();

    /// <summary>The schedule's steps up to and including <paramref name="maxStep"/>.</summary>
    public static IReadOnlyList<long> Steps(long maxStep) => throw new NotImplementedException();
}

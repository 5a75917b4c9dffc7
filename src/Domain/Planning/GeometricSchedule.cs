namespace Sweep.Domain.Planning;

/// <summary>
/// Geometrically spaced steps for recording ‖w − w0‖: ⌈1.25^k⌉ without repeats (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, …),
/// about ten points per decade, so that a run of 12 steps still gives a curve and a long run adds only ~10 rows
/// per decade.
/// </summary>
public static class GeometricSchedule
{
    public const double Ratio = 1.25;

    /// <summary>True when <paramref name="step"/> (≥ 1) is on the schedule.</summary>
    public static bool Contains(long step)
    {
        if (step < 1)
        {
            return false;
        }

        foreach (var s in Enumerate())
        {
            if (s >= step)
            {
                return s == step;
            }
        }

        return false;
    }

    /// <summary>The schedule's steps up to and including <paramref name="maxStep"/>.</summary>
    public static IReadOnlyList<long> Steps(long maxStep) => Enumerate().TakeWhile(s => s <= maxStep).ToList();

    private static IEnumerable<long> Enumerate()
    {
        var previous = 0L;
        for (var k = 0; k < 400; k++)
        {
            // A small tolerance keeps exact powers (1.25^k is exact in binary for small k) from rounding up.
            var s = (long)Math.Ceiling(Math.Pow(Ratio, k) - 1e-9);
            if (s > previous)
            {
                previous = s;
                yield return s;
            }
        }
    }
}

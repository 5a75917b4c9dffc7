namespace Sweep.Domain.Statistics;

/// <summary>Student's t distribution: the quantiles that small-n intervals need.</summary>
public static class StudentT
{
    /// <summary>
    /// t_{0.975, df} of whole df below the length, once computed (0 until then): a heatmap asks for n − 1 of each of
    /// its up to 10,000 cells, nearly always the same few, and each bisection costs ~50 incomplete-beta evaluations.
    /// Fractional (Welch) df are computed every time, so the cache stays this size however long the process runs.
    /// </summary>
    private static readonly double[] WholeDfQuantiles = new double[1024];

    /// <summary>The two-sided 95 % critical value t_{0.975, df}; df may be fractional (Welch).</summary>
    public static double Quantile975(double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0) || double.IsNaN(degreesOfFreedom))
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), "Degrees of freedom must be positive.");
        }

        if (degreesOfFreedom < WholeDfQuantiles.Length && Math.Floor(degreesOfFreedom) == degreesOfFreedom)
        {
            // A race computes the same value twice and stores it twice: harmless, so no lock.
            var index = (int)degreesOfFreedom;
            var cached = Volatile.Read(ref WholeDfQuantiles[index]);
            if (cached == 0)
            {
                cached = Bisect(degreesOfFreedom);
                Volatile.Write(ref WholeDfQuantiles[index], cached);
            }

            return cached;
        }

        return Bisect(degreesOfFreedom);
    }

    private static double Bisect(double degreesOfFreedom)
    {
        // Upper tail P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2 falls monotonically in t: bisect it to 0.025. The
        // bracket [0, 1e3] holds every df ≥ 0.3 (df = 1 gives 12.7); below that the quantile grows fast, so widen.
        double low = 0, high = 1e3;
        while (UpperTail(high, degreesOfFreedom) > 0.025 && high < 1e300)
        {
            high *= 10;
        }

        for (var i = 0; i < 200 && high - low > 1e-12 * Math.Max(1, high); i++)
        {
            var mid = (low + high) / 2;
            if (UpperTail(mid, degreesOfFreedom) > 0.025)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>P(T &gt; t) for t ≥ 0.</summary>
    internal static double UpperTail(double t, double df) =>
        IncompleteBeta.Regularized(df / 2, 0.5, df / (df + (t * t))) / 2;
}

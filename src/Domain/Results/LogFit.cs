namespace Sweep.Domain.Results;

/// <summary>distance ≈ a + b·ln(step): the intercept a, the slope b, R² of the fit, and how many points it used.</summary>
public sealed record LogFitResult(double Intercept, double Slope, double RSquared, int Count)
{
    /// <summary>The fitted distance at a step (≥ 1).</summary>
    public double At(double step) => Intercept + (Slope * Math.Log(step));
}

/// <summary>
/// Least-squares fit of distance = a + b·ln(step), the paper's Figure 2: ‖w − w0‖ grows logarithmically with the
/// number of updates (an "ultra-slow diffusion"), and the slope b compares regimes and batch sizes. Only points
/// with step ≥ 1 and a finite distance are used.
/// </summary>
public static class LogFit
{
    /// <summary>The fit, or null when fewer than two distinct steps ≥ 1 have a finite distance.</summary>
    public static LogFitResult? Fit(IEnumerable<(double Step, double Distance)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var (step, distance) in points)
        {
            if (step >= 1 && double.IsFinite(step) && double.IsFinite(distance))
            {
                xs.Add(Math.Log(step));
                ys.Add(distance);
            }
        }

        var n = xs.Count;
        if (n < 2)
        {
            return null;
        }

        // Centred sums (two passes) rather than raw sums of squares: steps reach 10^6, so ln(step) is near-constant
        // over a window and raw sums would cancel catastrophically.
        var meanX = xs.Average();
        var meanY = ys.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = xs[i] - meanX;
            var dy = ys[i] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (sxx <= 0)
        {
            return null;
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        double residual = 0;
        for (var i = 0; i < n; i++)
        {
            var r = ys[i] - (intercept + (slope * xs[i]));
            residual += r * r;
        }

        // A constant distance is fitted exactly by a flat line.
        var rSquared = syy > 0 ? 1 - (residual / syy) : 1;
        return new LogFitResult(intercept, slope, rSquared, n);
    }
}

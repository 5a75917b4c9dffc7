namespace Sweep.Domain.Results;

/// <summary>
/// Least-squares fit of distance = a + b·t^α, the alternative to the log law: for each α the best a and b are a
/// linear fit on t^α, so only α is searched (a grid over (0, 3], then golden-section refinement around its best).
/// </summary>
public static class PowerFit
{
    /// <summary>The largest exponent searched.</summary>
    public const double MaxExponent = 3.0;

    private const double GridStep = 0.01;

    /// <summary>The fit with its residual sum of squares, or null with fewer than three points or distinct steps.</summary>
    public static (PowerFitResult Fit, double Rss)? Fit(IReadOnlyList<(double Step, double Distance)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 3 || points.Select(p => p.Step).Distinct().Count() < 3)
        {
            return null;
        }

        var best = GridStep / 2;
        var bestRss = Linear(points, best).Rss;
        for (var alpha = GridStep; alpha <= MaxExponent + 1e-12; alpha += GridStep)
        {
            var rss = Linear(points, alpha).Rss;
            if (rss < bestRss)
            {
                (best, bestRss) = (alpha, rss);
            }
        }

        var refined = GoldenSection(points, Math.Max(1e-6, best - GridStep), Math.Min(MaxExponent, best + GridStep));
        var fit = Linear(points, refined);
        if (fit.Rss > bestRss)
        {
            fit = Linear(points, best);
        }

        var meanY = points.Average(p => p.Distance);
        var syy = points.Sum(p => (p.Distance - meanY) * (p.Distance - meanY));
        var rSquared = syy > 0 ? 1 - (fit.Rss / syy) : 1;
        return (new PowerFitResult(fit.Intercept, fit.Scale, fit.Exponent, rSquared, points.Count), fit.Rss);
    }

    private static double GoldenSection(IReadOnlyList<(double Step, double Distance)> points, double low, double high)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var c = high - (ratio * (high - low));
        var d = low + (ratio * (high - low));
        var fc = Linear(points, c).Rss;
        var fd = Linear(points, d).Rss;
        for (var i = 0; i < 100 && high - low > 1e-10; i++)
        {
            if (fc < fd)
            {
                (high, d, fd) = (d, c, fc);
                c = high - (ratio * (high - low));
                fc = Linear(points, c).Rss;
            }
            else
            {
                (low, c, fc) = (c, d, fd);
                d = low + (ratio * (high - low));
                fd = Linear(points, d).Rss;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>The least-squares a and b of distance = a + b·u with u = t^α, centred (u spans many orders of magnitude).</summary>
    private static (double Intercept, double Scale, double Exponent, double Rss) Linear(IReadOnlyList<(double Step, double Distance)> points, double alpha)
    {
        var us = points.Select(p => Math.Pow(p.Step, alpha)).ToArray();
        var meanU = us.Average();
        var meanY = points.Average(p => p.Distance);
        double suu = 0, suy = 0;
        for (var i = 0; i < us.Length; i++)
        {
            var du = us[i] - meanU;
            suu += du * du;
            suy += du * (points[i].Distance - meanY);
        }

        var scale = suu > 0 ? suy / suu : 0;
        var intercept = meanY - (scale * meanU);
        double rss = 0;
        for (var i = 0; i < us.Length; i++)
        {
            var r = points[i].Distance - (intercept + (scale * us[i]));
            rss += r * r;
        }

        return (intercept, scale, alpha, rss);
    }
}

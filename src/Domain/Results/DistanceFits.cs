using System.Globalization;

namespace Sweep.Domain.Results;

/// <summary>Fits ‖w − w0‖ against steps on the window the paper's argument covers, and tests the log law against a power law.</summary>
public static class DistanceFits
{
    /// <summary>A slope needs its window to span at least this many decades of steps.</summary>
    public const double MinimumDecades = 1.0;

    /// <summary>A fit needs at least this many points (the power law has three parameters).</summary>
    public const int MinimumPoints = 3;

    /// <summary>AIC units by which one law must beat the other to be preferred.</summary>
    public const double AicMargin = 2.0;

    /// <summary>
    /// Fits the points with step ≥ 1, a finite distance and step &lt; <paramref name="firstDropStep"/> (all such points
    /// when null): the log law, the power law, their AICs and which the data prefer ("log", "power" or "neither"),
    /// and a refusal sentence when the window spans less than <see cref="MinimumDecades"/> or holds too few points.
    /// </summary>
    public static DistanceFitReport Analyze(IEnumerable<(double Step, double Distance)> points, double? firstDropStep)
    {
        ArgumentNullException.ThrowIfNull(points);
        var used = points
            .Where(p => p.Step >= 1 && double.IsFinite(p.Step) && double.IsFinite(p.Distance) && (firstDropStep is not { } drop || p.Step < drop))
            .OrderBy(p => p.Step)
            .ToList();
        if (used.Count == 0)
        {
            return new DistanceFitReport(0, 0, 0, 0, null, null, null, null, null, "no recorded distance lies in the window; a slope needs at least one decade of steps");
        }

        var from = used[0].Step;
        var to = used[^1].Step;
        var decades = Math.Log10(to / from);
        var log = LogFit.Fit(used);
        var power = PowerFit.Fit(used);
        var floor = RssFloor(used);
        double? logAic = log is null ? null : Aic(used.Count, Math.Max(LogRss(used, log), floor), 2);
        double? powerAic = power is { } p ? Aic(used.Count, Math.Max(p.Rss, floor), 3) : null;
        return new DistanceFitReport(from, to, decades, used.Count, log, power?.Fit, logAic, powerAic, Preferred(logAic, powerAic), Refusal(from, to, decades, used.Count));
    }

    private static string? Preferred(double? logAic, double? powerAic)
    {
        if (logAic is not { } l || powerAic is not { } p)
        {
            return null;
        }

        return l <= p - AicMargin ? "log" : p <= l - AicMargin ? "power" : "neither";
    }

    private static string? Refusal(double from, double to, double decades, int count)
    {
        var c = CultureInfo.InvariantCulture;
        if (decades < MinimumDecades)
        {
            return string.Create(c, $"the window spans {decades:0.0} decades of steps ({from:G6} to {to:G6}); a slope needs at least one decade");
        }

        return count < MinimumPoints
            ? string.Create(c, $"the window holds {count} points; a fit needs at least {MinimumPoints}")
            : null;
    }

    /// <summary>AIC for least squares with Gaussian errors: n·ln(RSS/n) + 2k.</summary>
    private static double Aic(int n, double rss, int parameters) => (n * Math.Log(rss / n)) + (2 * parameters);

    /// <summary>
    /// Residuals below double rounding of the distances are arithmetic, not misfit: flooring RSS there keeps an exact
    /// fit's AIC finite (ln 0) and stops two exact fits from being told apart by rounding.
    /// </summary>
    private static double RssFloor(List<(double Step, double Distance)> used)
    {
        var scale = used.Max(p => Math.Abs(p.Distance));
        var resolution = 1e-12 * Math.Max(scale, 1e-100);
        return used.Count * resolution * resolution;
    }

    private static double LogRss(List<(double Step, double Distance)> used, LogFitResult fit) =>
        used.Sum(p => (p.Distance - fit.At(p.Step)) * (p.Distance - fit.At(p.Step)));
}

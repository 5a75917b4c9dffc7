using System.Globalization;
using Sweep.Domain.Statistics;

namespace Sweep.Reproduce;

/// <summary>How the report prints numbers: invariant culture, "—" for what is missing.</summary>
public static class Format
{
    public static string F(double value, int digits = 2) =>
        double.IsFinite(value) ? value.ToString("F" + digits, CultureInfo.InvariantCulture) : "—";

    public static string N(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "—";

    /// <summary>"85.20 ± 0.57": the mean and the half-width of its 95 % t interval, both × <paramref name="scale"/>; the mean alone for n = 1.</summary>
    public static string Ci(SampleSummary? summary, double scale = 100, int digits = 2) => summary switch
    {
        null => "—",
        { Ci95: { } ci } => $"{F(scale * summary.Mean, digits)} ± {F(scale * ci.HalfWidth, digits)}",
        _ => F(scale * summary.Mean, digits),
    };

    /// <summary>"-1.23 [-2.01, -0.45]": a difference × <paramref name="scale"/> with its 95 % interval, when it has one.</summary>
    public static string Delta(Difference? difference, double scale = 100, int digits = 2) => difference switch
    {
        null => "—",
        { Ci95: { } ci } => $"{F(scale * difference.Mean, digits)} [{F(scale * ci.Low, digits)}, {F(scale * ci.High, digits)}]",
        _ => F(scale * difference.Mean, digits),
    };

    /// <summary>"within seed noise" when the interval holds 0, "beyond seed noise" when not, and why there is no verdict otherwise.</summary>
    public static string Verdict(Difference? difference) => difference?.WithinNoise switch
    {
        true => "within seed noise (the interval holds 0)",
        false => "beyond seed noise",
        null => "too few seeds for an interval",
    };

    /// <summary>A running-statistics weight (a fraction) in percent, or "< 0.01 %" when it is negligible.</summary>
    public static string Weight(double weight) =>
        !double.IsFinite(weight) ? "—" : weight < 1e-4 ? "< 0.01 %" : $"{F(100 * weight)} %";

    /// <summary>The guard badges, or "none".</summary>
    public static string Flags(IEnumerable<string> flags)
    {
        var list = flags.Distinct().Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Select(f => $"⚑ {f}"));
    }
}

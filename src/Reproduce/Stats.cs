using System.Globalization;

namespace Sweep.Reproduce;

/// <summary>Mean and sample standard deviation over seeds, and how a difference of two means compares to seed noise.</summary>
public sealed record Stats(double Mean, double Std, int Count)
{
    public static Stats? Of(IEnumerable<double> values)
    {
        var xs = values.Where(double.IsFinite).ToList();
        if (xs.Count == 0)
        {
            return null;
        }

        var mean = xs.Average();
        var std = xs.Count > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1)) : double.NaN;
        return new Stats(mean, std, xs.Count);
    }

    /// <summary>Standard error of the difference of two means (Welch), NaN with fewer than two values on a side.</summary>
    public static double DifferenceStandardError(Stats a, Stats b) =>
        Math.Sqrt((a.Std * a.Std / a.Count) + (b.Std * b.Std / b.Count));

    /// <summary>"91.23 ± 0.12" in percent (accuracies are stored as fractions).</summary>
    public string Percent() => double.IsNaN(Std)
        ? (100 * Mean).ToString("F2", CultureInfo.InvariantCulture)
        : $"{(100 * Mean).ToString("F2", CultureInfo.InvariantCulture)} ± {(100 * Std).ToString("F2", CultureInfo.InvariantCulture)}";
}

/// <summary>A Markdown table, built row by row.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", headers) + " |",
            "|" + string.Join("|", headers.Select((_, i) => i == 0 ? "---" : "---:")) + "|",
        };
        lines.AddRange(_rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join('\n', lines);
    }
}

public static class Format
{
    public static string F(double value, int digits = 2) =>
        double.IsFinite(value) ? value.ToString("F" + digits, CultureInfo.InvariantCulture) : "—";

    public static string N(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "—";
}

using System.Globalization;
using System.Text;

namespace Sweep.Web.Sweeps;

/// <summary>
/// RFC 4180 fields in the invariant culture: numbers round-trip, NaN and ±Infinity are written as NaN, Infinity and
/// -Infinity, missing values as empty fields, times as ISO 8601 with offset.
/// </summary>
public static class Csv
{
    public static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double? value) => value is { } v ? Number(v) : "";

    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string Time(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A text field, quoted (with doubled quotes) when it holds a comma, a quote or a line break.</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    /// <summary>Fields joined by commas and ended with CRLF, as RFC 4180 has it.</summary>
    public static string Line(params ReadOnlySpan<string> fields)
    {
        var line = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(fields[i]);
        }

        return line.Append("\r\n").ToString();
    }
}

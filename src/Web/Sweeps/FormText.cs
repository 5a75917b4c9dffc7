using System.Globalization;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Numbers and lists as a form's inputs hold them: formatted invariantly for display, and parsed back with every
/// token that does not parse reported under its JSON path (the <c>parse</c> dictionary) instead of being dropped.
/// </summary>
internal static class FormText
{
    internal static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static string List(IEnumerable<int> values) => string.Join(", ", values.Select(Format));

    internal static string List(IEnumerable<double> values) => string.Join(", ", values.Select(Format));

    internal static IEnumerable<string> Tokens(string? text) =>
        (text ?? "").Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    internal static void Fail(Dictionary<string, List<string>> parse, string path, string message)
    {
        if (!parse.TryGetValue(path, out var list))
        {
            parse[path] = list = [];
        }

        list.Add(message);
    }

    internal static List<int> Ints(Dictionary<string, List<string>> parse, string path, string text) =>
        ParseList<int>(parse, path, text, "is not a whole number", token =>
            int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null);

    internal static List<double> Doubles(Dictionary<string, List<string>> parse, string path, string text) =>
        ParseList<double>(parse, path, text, "is not a number", token =>
            double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null);

    internal static List<RegimeMultiplier> Regimes(Dictionary<string, List<string>> parse, string path, string text) =>
        ParseList<RegimeMultiplier>(parse, path, text, "is neither a number nor \"auto\"", token =>
            string.Equals(token, "auto", StringComparison.OrdinalIgnoreCase) ? RegimeMultiplier.Auto
            : double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? RegimeMultiplier.Fixed(value)
            : null);

    /// <summary>Every token that <paramref name="parseToken"/> accepts, in order; each one it rejects is reported.</summary>
    private static List<T> ParseList<T>(
        Dictionary<string, List<string>> parse, string path, string text, string rejection, Func<string, T?> parseToken)
        where T : struct
    {
        var values = new List<T>();
        foreach (var token in Tokens(text))
        {
            if (parseToken(token) is { } value)
            {
                values.Add(value);
            }
            else
            {
                Fail(parse, path, $"\"{token}\" {rejection}.");
            }
        }

        return values;
    }

    internal static int Int(Dictionary<string, List<string>> parse, string path, string text, int fallback)
    {
        var trimmed = (text ?? "").Trim();
        if (int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Fail(parse, path, trimmed.Length == 0 ? "Enter a whole number." : $"\"{trimmed}\" is not a whole number.");
        return fallback;
    }

    internal static double Double(Dictionary<string, List<string>> parse, string path, string text, double fallback)
    {
        var trimmed = (text ?? "").Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Fail(parse, path, trimmed.Length == 0 ? "Enter a number." : $"\"{trimmed}\" is not a number.");
        return fallback;
    }
}

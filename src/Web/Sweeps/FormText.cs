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

    internal static List<int> Ints(Dictionary<string, List<string>> parse, string path, string text)
    {
        var values = new List<int>();
        foreach (var token in Tokens(text))
        {
            if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                values.Add(value);
            }
            else
            {
                Fail(parse, path, $"\"{token}\" is not a whole number.");
            }
        }

        return values;
    }

    internal static List<double> Doubles(Dictionary<string, List<string>> parse, string path, string text)
    {
        var values = new List<double>();
        foreach (var token in Tokens(text))
        {
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values.Add(value);
            }
            else
            {
                Fail(parse, path, $"\"{token}\" is not a number.");
            }
        }

        return values;
    }

    internal static List<RegimeMultiplier> Regimes(Dictionary<string, List<string>> parse, string path, string text)
    {
        var values = new List<RegimeMultiplier>();
        foreach (var token in Tokens(text))
        {
            if (string.Equals(token, "auto", StringComparison.OrdinalIgnoreCase))
            {
                values.Add(RegimeMultiplier.Auto);
            }
            else if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values.Add(RegimeMultiplier.Fixed(value));
            }
            else
            {
                Fail(parse, path, $"\"{token}\" is neither a number nor \"auto\".");
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

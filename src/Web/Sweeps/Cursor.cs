using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Sweep.Web.Sweeps;

/// <summary>Opaque page cursors: clients pass back what they were given and never build one themselves.</summary>
public static class Cursor
{
    public static string Encode(int offset) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture)));

    public static int Decode(string? cursor) =>
        Read(cursor) is { } text && text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], CultureInfo.InvariantCulture, out var offset) && offset >= 0
            ? offset
            : 0;

    public static string EncodeKeyStep(string key, long step) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"k:{step.ToString(CultureInfo.InvariantCulture)}:{key}"));

    public static (string Key, long Step)? DecodeKeyStep(string? cursor)
    {
        if (Read(cursor) is not { } text || !text.StartsWith("k:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = text[2..].Split(':', 2);
        return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var step) ? (parts[1], step) : null;
    }

    /// <summary>Wraps a structured position (see <see cref="SweepCursor"/>) so that clients treat it as opaque.</summary>
    public static string EncodeText(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string? DecodeText(string? cursor) => Read(cursor);

    /// <summary>True when the cursor is absent or one this API issued.</summary>
    public static bool IsValid(string? cursor) => cursor is null || Read(cursor) is not null;

    private static string? Read(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

using System.Globalization;

namespace Sweep.Web.Sweeps;

/// <summary>Where a page of the sweeps list ended: the sort it belongs to and the last row's (key, id).</summary>
public sealed record SweepCursor(SweepListSort Sort, bool Descending, string Key, Guid Id)
{
    private const string Prefix = "s1";

    public string Encode() => Cursor.EncodeText(string.Join('\n', Prefix, Sort.ToString(), Descending ? "d" : "a", Id.ToString("N"), Key));

    /// <summary>Null when the text is not a sweeps-list cursor.</summary>
    public static SweepCursor? Decode(string? cursor)
    {
        var parts = Cursor.DecodeText(cursor)?.Split('\n', 5);
        return parts is [Prefix, var sort, "d" or "a", var id, var key]
            && Enum.TryParse<SweepListSort>(sort, out var s)
            && Guid.TryParseExact(id, "N", out var guid)
                ? new SweepCursor(s, parts[2] == "d", key, guid)
                : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sort} {(Descending ? "desc" : "asc")} after ({Key}, {Id})");
}

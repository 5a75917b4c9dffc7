using System.Globalization;

namespace Sweep.Web.Components;

/// <summary>Sizes for reading: 0 B, 812 KB, 20.4 MB, 1.27 GB (decimal units, three significant digits).</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:G3} {Units[unit]}");
    }
}

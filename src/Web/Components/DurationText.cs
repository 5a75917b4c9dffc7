namespace Sweep.Web.Components;

/// <summary>A duration in the words the builder's estimate and the sweep page's ETA use: "32 s", "8 min", "2 h 5 min".</summary>
public static class DurationText
{
    public static string Format(double seconds)
    {
        if (seconds < 60)
        {
            return $"{Math.Round(seconds):0} s";
        }

        var minutes = (long)Math.Round(seconds / 60);
        return minutes switch
        {
            < 60 => $"{minutes} min",
            < 48 * 60 => $"{minutes / 60} h {minutes % 60} min",
            _ => $"{seconds / 86400:0.#} days",
        };
    }
}

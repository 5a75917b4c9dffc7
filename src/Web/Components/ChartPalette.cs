using System.Globalization;

namespace Sweep.Web.Components;

/// <summary>
/// Discrete colours for chart traces sampled from viridis (perceptually uniform, readable with the common forms
/// of colour-blindness). The light yellow end is left out so that every colour stands out on a white background.
/// </summary>
public static class ChartPalette
{
    private static readonly (byte R, byte G, byte B)[] Viridis =
    [
        (0x44, 0x01, 0x54), (0x48, 0x24, 0x75), (0x41, 0x44, 0x87), (0x35, 0x5f, 0x8d), (0x2a, 0x78, 0x8e), (0x21, 0x91, 0x8c),
        (0x22, 0xa8, 0x84), (0x44, 0xbf, 0x70), (0x7a, 0xd1, 0x51), (0xbd, 0xdf, 0x26), (0xfd, 0xe7, 0x25),
    ];

    /// <summary>How far along viridis the last trace goes (1 would be its lightest yellow).</summary>
    private const double End = 0.85;

    /// <summary>
    /// Train and validation curves of one trial share its colour and differ in line and marker: train dashed with open
    /// markers, validation solid with filled ones, so that they are told apart without telling colours apart.
    /// </summary>
    public static (string Dash, Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum Marker) Role(bool train) => train
        ? ("dash", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.CircleOpen)
        : ("solid", Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Circle);

    /// <summary>Lines slightly translucent, so that a curve drawn over another leaves it visible.</summary>
    public const decimal LineOpacity = 0.85m;

    /// <summary>The colour of trace <paramref name="index"/> of <paramref name="count"/>, as #rrggbb.</summary>
    public static string Color(int index, int count)
    {
        var t = count <= 1 ? 0 : Math.Clamp(index / (double)(count - 1), 0, 1) * End;
        var position = t * (Viridis.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, Viridis.Length - 1);
        var f = position - low;
        byte Mix(byte a, byte b) => (byte)Math.Round(a + ((b - a) * f));
        var (r, g, b) = (Mix(Viridis[low].R, Viridis[high].R), Mix(Viridis[low].G, Viridis[high].G), Mix(Viridis[low].B, Viridis[high].B));
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }
}

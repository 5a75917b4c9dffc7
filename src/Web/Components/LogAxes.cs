using Plotly.Blazor.LayoutLib;

namespace Sweep.Web.Components;

/// <summary>
/// Log axes that label whole decades only (1, 10, 100, 1k …; 10⁻³, 10⁻² … below 1), with unlabelled minor ticks
/// between them: Plotly's default labels every minor tick with a bare digit ("2", "5"), which reads as a value.
/// </summary>
public static class LogAxes
{
    /// <summary>dtick 1 on a log axis: one tick per power of ten.</summary>
    public const int Decade = 1;

    public static XAxis X(string title) => new()
    {
        Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = title },
        Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log,
        DTick = Decade,
        ExponentFormat = Plotly.Blazor.LayoutLib.XAxisLib.ExponentFormatEnum.Power,
        Minor = new Plotly.Blazor.LayoutLib.XAxisLib.Minor { Ticks = Plotly.Blazor.LayoutLib.XAxisLib.MinorLib.TicksEnum.Outside, ShowGrid = true },
    };

    public static YAxis Y(string title) => new()
    {
        Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = title },
        Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log,
        DTick = Decade,
        ExponentFormat = Plotly.Blazor.LayoutLib.YAxisLib.ExponentFormatEnum.Power,
        Minor = new Plotly.Blazor.LayoutLib.YAxisLib.Minor { Ticks = Plotly.Blazor.LayoutLib.YAxisLib.MinorLib.TicksEnum.Outside, ShowGrid = true },
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Plotly.Blazor;

namespace Sweep.Web.Components;

/// <summary>
/// A chart's figure as the JSON that <c>Plotly.newPlot</c> takes, <c>{"data": […], "layout": {…}, "config": {…}}</c>,
/// serialized as Plotly.Blazor serializes it for its own interop (each object by its runtime type, property names as
/// declared, nulls left out), so that a figure drawn from this JSON is the one the chart draws later. The default
/// encoder escapes &lt; and &gt;, so the text is safe inside a <c>&lt;script type="application/json"&gt;</c> element.
/// </summary>
public static class PlotlyFigureJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(IEnumerable<ITrace> data, Plotly.Blazor.Layout layout, Config config)
    {
        var figure = new Dictionary<string, object>
        {
            ["data"] = data.Cast<object>().ToList(),
            ["layout"] = layout,
            ["config"] = config,
        };
        return JsonSerializer.Serialize(figure, Options);
    }
}

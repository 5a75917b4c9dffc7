using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>
/// A Plotly chart of metric series for a set of trials, read through <see cref="CurveReader"/> (downsampled on the
/// server). It reloads when the trials, the <see cref="Revision"/> (e.g. their epochs) or its own
/// <see cref="Variant"/> (a select) change, and redraws with Plotly.react.
/// </summary>
public abstract class CurveChartBase : ComponentBase, IDisposable
{
    [Parameter, EditorRequired]
    public IReadOnlyList<CurveTrial> Trials { get; set; } = [];

    /// <summary>Changes when new data may have been recorded (e.g. the trials' epochs and states).</summary>
    [Parameter]
    public string? Revision { get; set; }

    /// <summary>Points per series, at most.</summary>
    [Parameter]
    public int Points { get; set; } = Downsampler.DefaultMaxPoints;

    [Parameter]
    public int Height { get; set; } = 380;

    [Inject]
    protected CurveReader Curves { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    protected PlotlyChart? Plot { get; set; }

    // No mode bar: its buttons would add tab stops to every chart; zoom by dragging, reset by double click.
    protected Config ChartConfig { get; } = new() { Responsive = true, DisplayLogo = false, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    protected Plotly.Blazor.Layout ChartLayout { get; set; } = new();

    protected IList<ITrace> ChartData { get; } = new List<ITrace>();

    /// <summary>How many points are drawn, over all traces; 0 shows the "nothing recorded yet" hint.</summary>
    protected int PointCount { get; private set; }

    protected bool Loaded { get; private set; }

    /// <summary>The component's own choice of what to draw (e.g. which metric pair).</summary>
    protected virtual string Variant => "";

    /// <summary>The seed toggle's choices: a mean line with its 95 % band per configuration, or every seed's own curve.</summary>
    protected const string SeedsBanded = "bands";

    protected const string SeedsIndividual = "seeds";

    /// <summary>How trials that differ only by seed are drawn (<see cref="SeedsBanded"/> by default).</summary>
    protected string SeedView { get; set; } = SeedsBanded;

    /// <summary>True when this draw groups seeds: the toggle says so and some configuration has more than one seed.</summary>
    protected bool Banded(IReadOnlyList<CurveTrial> trials) => SeedView == SeedsBanded && SeedBandTraces.HasReplicates(trials);

    /// <summary>The toggle is shown only when there are seeds to group.</summary>
    protected bool HasReplicates => SeedBandTraces.HasReplicates(Trials);

    private readonly CancellationTokenSource _stop = new();
    private string? _drawn;
    private bool _redraw;
    private int _generation;
    private bool _shown;

    protected override Task OnParametersSetAsync() => RefreshAsync();

    /// <summary>Reloads and redraws if anything the chart depends on changed.</summary>
    protected async Task RefreshAsync()
    {
        var signature = string.Join(",", Trials.Select(t => t.Id)) + "|" + Revision + "|" + Variant + "|" + SeedView + "|" + Points;
        if (signature == _drawn)
        {
            return;
        }

        _drawn = signature;
        var generation = ++_generation;
        try
        {
            var (traces, layout, count) = await BuildAsync(Trials, _stop.Token);
            if (generation != _generation)
            {
                return; // A newer load started while this one ran.
            }

            ChartData.Clear();
            foreach (var trace in traces)
            {
                ChartData.Add(trace);
            }

            ChartLayout = layout;
            ChartLayout.Height = Height + LegendAllowance(traces);
            PointCount = count;
            Loaded = true;
            _redraw = true;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The traces, the layout and the number of points drawn.</summary>
    protected abstract Task<(IReadOnlyList<ITrace> Traces, Plotly.Blazor.Layout Layout, int Points)> BuildAsync(
        IReadOnlyList<CurveTrial> trials, CancellationToken ct);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The first render hands Plotly the data as it is (Plotly.newPlot); later loads go through Plotly.react.
        if (firstRender)
        {
            _shown = HasPoints;
        }
        else if (_redraw && Plot is not null)
        {
            _redraw = false;
            await Plot.React();
            if (HasPoints && !_shown)
            {
                _shown = true;
                await ResizeAsync();
            }
        }
    }

    /// <summary>
    /// Extra height for the legend below the plot, about one row per two entries: Plotly makes room for a legend by
    /// shrinking the plot, which would bring the legend (placed relative to the plot) up onto the x axis's title.
    /// </summary>
    public static int LegendAllowance(IEnumerable<ITrace> traces)
    {
        var entries = traces.OfType<Plotly.Blazor.Traces.Scatter>().Count(t => t.ShowLegend != false);
        return 22 * ((entries + 1) / 2);
    }

    /// <summary>True when there is something to draw: otherwise the chart is a short placeholder box, not empty axes.</summary>
    protected bool HasPoints => Trials.Count > 0 && Loaded && PointCount > 0;

    /// <summary>
    /// The charts' common layout: titled axes, the legend below the plot (clear of the axis titles on a phone), one
    /// hover label per x for all curves (overlapping lines are still told apart), zoom kept across reloads of the same
    /// selection. A log axis labels whole decades only (<see cref="LogAxes"/>).
    /// </summary>
    protected Plotly.Blazor.Layout NewLayout(
        string xTitle,
        string yTitle,
        Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum xType = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear,
        Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum yType = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear,
        string? yFormat = null) => new()
        {
            Height = Height,
            Margin = new Plotly.Blazor.LayoutLib.Margin { L = 70, R = 20, T = 20, B = 50 },
            HoverMode = Plotly.Blazor.LayoutLib.HoverModeEnum.XUnified,
            UiRevision = string.Join(",", Trials.Select(t => t.Id)) + "|" + Variant,
            Legend = [new Plotly.Blazor.LayoutLib.Legend
            {
                Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
                X = 0,
                Y = -0.3m,
                YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top,
            }],
            XAxis = [xType == Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log
                ? LogAxes.X(xTitle)
                : new Plotly.Blazor.LayoutLib.XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle }, Type = xType }],
            YAxis = [yType == Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log
                ? LogAxes.Y(yTitle)
                : new Plotly.Blazor.LayoutLib.YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle }, Type = yType, TickFormat = yFormat }],
        };

    /// <summary>
    /// The chart was drawn while hidden (no points yet), at Plotly's default size: fit it to its container now that
    /// it shows. Without the circuit's JS there is nothing to resize.
    /// </summary>
    private async Task ResizeAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("Plotly.Plots.resize", Plot!.Id);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
        }
    }

    /// <summary>A value Plotly can draw: non-finite values (a diverged run) become gaps.</summary>
    protected static object? Y(double value) => double.IsFinite(value) ? value : null;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}

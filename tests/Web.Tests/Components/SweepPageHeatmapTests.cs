using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components.Pages;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The sweep page's heatmap controls over recorded per-epoch metrics: point in time, facets, and each running trial's ETA.</summary>
public sealed class SweepPageHeatmapTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    /// <summary>
    /// B ∈ {128, 1024} × regime ∈ {1, 2}. Validation accuracy per completed epoch: (128, ×1) 0.10 0.90 0.95 0.93;
    /// (1024, ×1) 0.10 0.70 0.80 0.85; (128, ×2) 0.10 0.50 0.60 0.70 0.80 0.90 0.96; (1024, ×2) running: 0.10 0.40,
    /// after 20 s of its 6 epochs' training on its first attempt.
    /// </summary>
    private async Task<Guid> CreateAsync(string name)
    {
        var spec = new SweepRequest
        {
            Name = name,
            Grid = new GridSpec { BatchSize = [128, 1024], GhostBatchSize = [128], RegimeMultiplier = [RegimeMultiplier.Fixed(1), RegimeMultiplier.Fixed(2)] },
            Training = new TrainingRequest { Epochs = 3, LrDropEpochs = [] },
        }.ToSpec();
        var id = await db.CreateSweepAsync(spec);
        await RecordAsync(id, 128, 1, "completed", 0.10, 0.90, 0.95, 0.93);
        await RecordAsync(id, 1024, 1, "completed", 0.10, 0.70, 0.80, 0.85);
        await RecordAsync(id, 128, 2, "completed", 0.10, 0.50, 0.60, 0.70, 0.80, 0.90, 0.96);
        await RecordAsync(id, 1024, 2, "running", 0.10, 0.40);
        return id;
    }

    private Task RecordAsync(Guid sweep, int batch, double regime, string state, params double[] accuracyByEpoch)
    {
        var values = string.Join(",", accuracyByEpoch.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var final = accuracyByEpoch[^1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return db.ExecuteAsync(
            $"""
            UPDATE trials SET state = '{state}', attempt = 1, current_epoch = {accuracyByEpoch.Length - 1}, final_val_accuracy = {final},
                              final_wall_seconds = {20 * (accuracyByEpoch.Length - 1)}
             WHERE sweep_id = '{sweep}' AND batch_size = {batch} AND regime_multiplier = {regime};
            INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
            SELECT t.id, 'valAccuracy', (u.i - 1) * 10, u.i - 1, u.v, now()
              FROM trials t, unnest(array[{values}]::float8[]) WITH ORDINALITY u(v, i)
             WHERE t.sweep_id = '{sweep}' AND t.batch_size = {batch} AND t.regime_multiplier = {regime};
            """);
    }

    /// <summary>Reads hit PostgreSQL on a busy machine: bUnit's 1 s default is too short for them.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Interactive, as served: the page's live refresh runs (the sweep has a running trial) while the controls change;
    /// or not, as the server's prerender renders it.
    /// </summary>
    private BunitContext Context(bool interactive = true)
    {
        var context = db.CreateContext();
        context.Services.AddScoped<CurveReader>();
        context.Services.AddScoped<SweepLifecycle>();
        context.Services.AddScoped<SweepNotes>();
        context.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo(interactive ? "Server" : "Static", interactive));
        return context;
    }

    /// <summary>Finds and changes in one dispatcher turn: the live refresh re-renders between a Find and a Change otherwise.</summary>
    private static Task ChangeAsync(IRenderedComponent<SweepPage> cut, string selector, string value) =>
        cut.InvokeAsync(() => cut.Find(selector).Change(value));

    private static List<List<double?>> FirstRows(IRenderedComponent<SweepPage> cut) =>
        cut.FindComponent<PlotlyChart>().Instance.Data.Cast<HeatMap>()
            .Select(t => ((IEnumerable<object?>)t.Z[0]!).Select(v => v is null ? (double?)null : Math.Round(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture), 10)).ToList())
            .ToList();

    [Fact]
    public async Task The_point_in_time_selector_redraws_the_heatmap_at_best_and_at_a_chosen_epoch()
    {
        var id = await CreateAsync("page-at");
        using var context = Context();
        var cut = context.Render<SweepPage>(p => p.Add(s => s.Id, id));
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#trials tr.trial").Count), Wait);

        // No silent averaging: the regime axis (neither x nor y) starts at its first value, ×1.
        Assert.Equal([[0.93, 0.85]], FirstRows(cut));
        Assert.Empty(cut.FindAll("#heatmap-averaged"));
        Assert.Empty(cut.FindAll("#at-epoch"));

        // Average, chosen explicitly, averages the completed trials over the regime axis and says so in the title;
        // the running one has no final value.
        await ChangeAsync(cut, "#fix-regimeMultiplier", "average");
        cut.WaitForAssertion(() => Assert.Equal([[0.945, 0.85]], FirstRows(cut)), Wait);
        Assert.Equal("averaged over regimeMultiplier ∈ {1, 2}", cut.Find("#heatmap-averaged").TextContent);

        await ChangeAsync(cut, "#at", "best");
        cut.WaitForAssertion(() => Assert.Equal([[Math.Round((0.95 + 0.96) / 2, 10), Math.Round((0.85 + 0.40) / 2, 10)]], FirstRows(cut)), Wait);

        await ChangeAsync(cut, "#at", "epoch");
        cut.WaitForElement("#at-epoch", Wait);
        await ChangeAsync(cut, "#at-epoch", "2");
        cut.WaitForAssertion(() => Assert.Equal([[Math.Round((0.95 + 0.60) / 2, 10), 0.80]], FirstRows(cut)), Wait);
        Assert.Equal("6", cut.Find("#at-epoch").GetAttribute("max"));
    }

    /// <summary>
    /// The prerendered page carries the heatmap's figure, so that the browser draws it before the circuit starts
    /// (wwwroot/heatmap-first-draw.js): the same cells the chart draws, with Plotly's own property names. The
    /// interactive render leaves it out (the chart draws itself there).
    /// </summary>
    [Fact]
    public async Task The_prerendered_page_carries_the_heatmap_figure_that_the_chart_draws()
    {
        var id = await CreateAsync("page-figure");
        using var prerender = Context(interactive: false);
        var cut = prerender.Render<SweepPage>(p => p.Add(s => s.Id, id));
        cut.WaitForElement("#heatmap-figure", Wait);

        using var figure = System.Text.Json.JsonDocument.Parse(cut.Find("#heatmap-figure").TextContent);
        var trace = figure.RootElement.GetProperty("data")[0];
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal([[0.93, 0.85]], trace.GetProperty("z").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToList()).ToList());
        Assert.Equal(["128", "1024"], trace.GetProperty("x").EnumerateArray().Select(v => v.GetString()).ToList());
        Assert.Equal(FirstRows(cut), [[0.93, 0.85]]);
        Assert.Equal("Viridis", trace.GetProperty("colorscale").GetString());
        Assert.True(figure.RootElement.GetProperty("layout").TryGetProperty("xaxis", out _));
        Assert.False(figure.RootElement.GetProperty("config").GetProperty("displaylogo").GetBoolean());
        var head = prerender.Render(cut.FindComponent<Microsoft.AspNetCore.Components.Web.HeadContent>().Instance.ChildContent!);
        Assert.NotNull(head.Find("script[type=module][async][src*=heatmap-first-draw]"));

        using var interactive = Context();
        var live = interactive.Render<SweepPage>(p => p.Add(s => s.Id, id));
        live.WaitForAssertion(() => Assert.Equal(4, live.FindAll("#trials tr.trial").Count), Wait);
        Assert.Empty(live.FindAll("#heatmap-figure"));
    }

    [Fact]
    public async Task Facet_by_draws_one_panel_per_value_and_a_plotted_axis_is_refused_next_to_the_controls()
    {
        var id = await CreateAsync("page-facet");
        using var context = Context();
        var cut = context.Render<SweepPage>(p => p.Add(s => s.Id, id));
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#trials tr.trial").Count), Wait);

        await ChangeAsync(cut, "#at", "epoch");
        cut.WaitForElement("#at-epoch", Wait);
        await ChangeAsync(cut, "#at-epoch", "2");
        await ChangeAsync(cut, "#facet", "regimeMultiplier");

        cut.WaitForAssertion(() => Assert.Equal([[0.95, 0.80], [0.60, null]], FirstRows(cut)), Wait);
        Assert.Equal("2", cut.Find("#heatmap-container").GetAttribute("data-panels"));
        var traces = cut.FindComponent<PlotlyChart>().Instance.Data.Cast<HeatMap>().ToList();
        Assert.All(traces, t => Assert.Equal(0.60m, t.ZMin));
        Assert.All(traces, t => Assert.Equal(0.95m, t.ZMax));

        await ChangeAsync(cut, "#facet", "batchSize");
        cut.WaitForAssertion(() => Assert.Contains("third axis", cut.Find("#heatmap-error").TextContent), Wait);
        Assert.Empty(cut.FindComponent<PlotlyChart>().Instance.Data);

        await ChangeAsync(cut, "#facet", "none");
        await ChangeAsync(cut, "#at", "best");
        await ChangeAsync(cut, "#metric", "wallSeconds");
        cut.WaitForAssertion(() => Assert.Contains("no best value", cut.Find("#heatmap-error").TextContent), Wait);
    }

    [Fact]
    public async Task Running_trials_show_their_epoch_and_an_eta_from_their_own_pace()
    {
        var id = await CreateAsync("page-eta");
        using var context = Context();
        var cut = context.Render<SweepPage>(p => p.Add(s => s.Id, id));
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#trials tr.trial").Count), Wait);

        // 1 of 6 epochs done in 20 s: 5 epochs × 20 s left.
        var running = cut.Find("#trials tr.trial.running");
        Assert.Contains("1 / 6", running.TextContent);
        Assert.Equal("1 min 40 s", running.QuerySelector("td.eta")!.TextContent.Trim());
        Assert.All(cut.FindAll("#trials tr.trial.completed td.eta"), cell => Assert.Equal("—", cell.TextContent.Trim()));
    }
}

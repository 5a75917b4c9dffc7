using Sweep.Domain.Statistics;

namespace Sweep.Domain.Results;

/// <summary>
/// A metric over two grid axes. <see cref="Z"/> is indexed [y][x], as Plotly expects; a cell without a finite
/// result is null. <see cref="Count"/> and <see cref="Std"/> say how many trials each mean covers.
/// </summary>
public sealed record Heatmap(
    IReadOnlyList<double> X,
    IReadOnlyList<double> Y,
    IReadOnlyList<IReadOnlyList<double?>> Z,
    IReadOnlyList<IReadOnlyList<int>> Count,
    IReadOnlyList<IReadOnlyList<double?>> Std)
{
    /// <summary>Per cell [y][x]: n, the number of finite values each mean covers (the same as <see cref="Count"/>, named as the statistics are).</summary>
    public IReadOnlyList<IReadOnlyList<int>> N => Count;

    /// <summary>How each x value reads (the number, or a rule's name on a categorical axis).</summary>
    public IReadOnlyList<string> XLabels { get; init; } = [];

    public IReadOnlyList<string> YLabels { get; init; } = [];

    /// <summary>Per cell [y][x]: trials without a result yet or at all (e.g. "1 running · 1 failed"), or null.</summary>
    public IReadOnlyList<IReadOnlyList<string?>> Notes { get; init; } = [];

    /// <summary>
    /// Per cell [y][x]: the ids of its trials, those with a value first, so that a click on a cell can open the
    /// trial it shows. Empty for a cell without trials.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<Guid>>> Trials { get; init; } = [];

    /// <summary>Per cell [y][x]: the 95 % Student-t interval of the mean over the cell's finite values, or null (n &lt; 2).</summary>
    public IReadOnlyList<IReadOnlyList<Interval?>> Ci95 { get; init; } = [];

    /// <summary>
    /// Per cell [y][x]: the baseline cell's value minus this cell's (the paper's sign: positive is worse than the
    /// baseline for accuracies), paired by seed where the seeds match; null without a baseline, for the baseline cell
    /// itself, or with too few values.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Difference?>> ToBaseline { get; init; } = [];

    /// <summary>Per cell [y][x]: true when <see cref="ToBaseline"/>'s 95 % interval contains 0; null when there is no difference.</summary>
    public IReadOnlyList<IReadOnlyList<bool?>> WithinNoise { get; init; } = [];

    /// <summary>Per cell [y][x]: the guard flags (<see cref="GuardFlags"/>) raised by any of the cell's trials or by the cell itself.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Flags { get; init; } = [];

    /// <summary>Swept axes that are neither plotted nor fixed, with more than one value among the plotted trials: their values are averaged. Seeds are not listed: they are the replicates n counts.</summary>
    public IReadOnlyList<AveragedAxis> AveragedOver { get; init; } = [];

    /// <summary>The same heatmap with <see cref="Trials"/> empty: at 10,000 trials the ids are most of an answer's bytes.</summary>
    public Heatmap WithoutTrialIds() => this with { Trials = [] };
}

/// <summary>A swept axis whose values a heatmap averages, and how they read.</summary>
public sealed record AveragedAxis(string Axis, IReadOnlyList<string> Values);

/// <summary>
/// Small multiples: one <see cref="Heatmap"/> per value of a third axis, on the same x and y values, with the
/// range of every panel's finite values so that all panels share one colour scale.
/// </summary>
public sealed record FacetedHeatmap(string Facet, IReadOnlyList<HeatmapFacet> Panels, double? ZMin, double? ZMax)
{
    /// <summary>Every panel <see cref="Heatmap.WithoutTrialIds"/>.</summary>
    public FacetedHeatmap WithoutTrialIds() => this with { Panels = Panels.Select(p => p with { Map = p.Map.WithoutTrialIds() }).ToList() };
}

/// <summary>One panel: the facet axis's value, how it reads, and the heatmap of the trials with that value.</summary>
public sealed record HeatmapFacet(double Value, string Label, Heatmap Map);

/// <summary>The cell the paper's gap is measured against: by default B = G = B_ref at regime 1.</summary>
public sealed record BaselineCell(int BatchSize, int GhostBatchSize, double RegimeMultiplier);

/// <summary>The question a heatmap answers: which metric, on which axes, with which other axes held fixed.</summary>
public sealed record HeatmapQuery(GridAxis X, GridAxis Y, string Metric, IReadOnlyDictionary<GridAxis, double> Fixed)
{
    /// <summary>Needed by <see cref="MetricNames.GapToBaseline"/>; without it that metric has no values.</summary>
    public BaselineCell? Baseline { get; init; }

    /// <summary>When in each trial's history the metric is read; other than final it needs <see cref="TrialResult.History"/>.</summary>
    public PointInTime At { get; init; } = PointInTime.Final;
}

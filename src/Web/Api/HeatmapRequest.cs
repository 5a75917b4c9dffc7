using System.ComponentModel;
using Sweep.Domain.Results;

namespace Sweep.Web.Api;

/// <summary>
/// The heatmap's query: x and y name grid axes; any other axis given a value is fixed to it; the rest are averaged.
/// <c>at</c> picks the point in each trial's history (final, best, epoch:N) and <c>facet</c> a third axis to draw
/// one heatmap per value of.
/// </summary>
public sealed record HeatmapRequest(
    string? X,
    string? Y,
    string? Metric,
    double? BatchSize,
    double? GhostBatchSize,
    double? RegimeMultiplier,
    double? Seed,
    string? LrScaling,
    string? GbnImplementation,
    string? RunningStats,
    int? BaselineBatchSize,
    int? BaselineGhostBatchSize,
    double? BaselineRegime,
    [property: Description("final (default), best (max for accuracies, min for losses, errors and gaps), or epoch:N (after N completed epochs; 0 is before training).")]
    string? At,
    [property: Description("The epoch for at=epoch (same as at=epoch:N).")]
    int? Epoch,
    [property: Description("A third axis: one heatmap per value, sharing one colour range. none or absent: one heatmap.")]
    string? Facet,
    [property: Description("true: each cell's trial ids in trials ([y][x], those with a value first); absent or false: trials is empty, which keeps a 10,000-trial answer a quarter the size.")]
    bool? TrialIds)
{
    /// <summary>The query and the facet axis (null for one heatmap), or the field errors.</summary>
    public (HeatmapQuery? Query, GridAxis? Facet, Dictionary<string, string[]> Errors) ToQuery()
    {
        var errors = new Dictionary<string, string[]>();
        var axisNames = string.Join(", ", GridAxes.All.Select(a => a.ApiName()));
        if (!GridAxes.TryParse(X ?? "batchSize", out var x))
        {
            errors["x"] = [$"Unknown axis '{X}'. Axes: {axisNames}."];
        }

        if (!GridAxes.TryParse(Y ?? "ghostBatchSize", out var y))
        {
            errors["y"] = [$"Unknown axis '{Y}'. Axes: {axisNames}."];
        }
        else if (x == y && !errors.ContainsKey("x"))
        {
            errors["y"] = ["x and y must be different axes."];
        }

        var metric = Metric ?? MetricNames.ValAccuracy;
        if (!MetricNames.IsKnown(metric))
        {
            errors["metric"] = [$"Unknown metric '{metric}'. Metrics: {string.Join(", ", MetricNames.Heatmap)}."];
        }

        var at = PointInTimeOf(metric, errors);
        var facet = FacetOf(x, y, axisNames, errors);
        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        var fixedAxes = FixedAxes(errors);
        return errors.Count > 0 ? (null, null, errors) : (new HeatmapQuery(x, y, metric, fixedAxes) { At = at }, facet, errors);
    }

    /// <summary>at=final|best|epoch:N, or at=epoch (or no at) with epoch=N; best only for metrics where a direction is better.</summary>
    private PointInTime PointInTimeOf(string metric, Dictionary<string, string[]> errors)
    {
        if (Epoch is { } n)
        {
            if (At is not null && !At.Equals("epoch", StringComparison.OrdinalIgnoreCase))
            {
                errors["epoch"] = [$"epoch goes with at=epoch (or no at), not at={At}; at=epoch:{n} says the same on its own."];
                return PointInTime.Final;
            }

            if (n < 0)
            {
                errors["epoch"] = ["epoch counts completed epochs: a whole number ≥ 0 (0 is before training)."];
                return PointInTime.Final;
            }

            return PointInTime.AtEpoch(n);
        }

        if (At is not null && At.Equals("epoch", StringComparison.OrdinalIgnoreCase))
        {
            errors["epoch"] = ["at=epoch needs epoch=N (or write at=epoch:N)."];
            return PointInTime.Final;
        }

        if (!PointInTime.TryParse(At, out var at, out var error))
        {
            errors["at"] = [error!];
            return PointInTime.Final;
        }

        if (at.Kind == PointInTimeKind.Best && MetricNames.IsKnown(metric) && !MetricNames.HasBest(metric))
        {
            errors["at"] = [$"'{metric}' has no best value (no direction of it is better); use final or epoch:N."];
        }

        return at;
    }

    private GridAxis? FacetOf(GridAxis x, GridAxis y, string axisNames, Dictionary<string, string[]> errors)
    {
        if (Facet is null || Facet.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!GridAxes.TryParse(Facet, out var facet))
        {
            errors["facet"] = [$"Unknown axis '{Facet}'. Axes: {axisNames}, or none."];
            return null;
        }

        if (facet == x || facet == y)
        {
            errors["facet"] = ["The facet axis must differ from the x and y axes."];
            return null;
        }

        return facet;
    }

    private Dictionary<GridAxis, double> FixedAxes(Dictionary<string, string[]> errors)
    {
        var fixedAxes = new Dictionary<GridAxis, double>();
        void Fix(GridAxis axis, double? value)
        {
            if (value is { } v)
            {
                fixedAxes[axis] = v;
            }
        }

        Fix(GridAxis.BatchSize, BatchSize);
        Fix(GridAxis.GhostBatchSize, GhostBatchSize);
        Fix(GridAxis.RegimeMultiplier, RegimeMultiplier);
        Fix(GridAxis.Seed, Seed);
        foreach (var (axis, text) in new[] { (GridAxis.LrScaling, LrScaling), (GridAxis.GbnImplementation, GbnImplementation), (GridAxis.RunningStats, RunningStats) })
        {
            if (text is null)
            {
                continue;
            }

            if (axis.ParseCategory(text) is { } value)
            {
                fixedAxes[axis] = value;
            }
            else
            {
                errors[axis.ApiName()] = [$"Unknown {axis.ApiName()} '{text}'."];
            }
        }

        return fixedAxes;
    }
}

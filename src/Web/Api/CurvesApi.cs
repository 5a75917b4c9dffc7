using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>/api/v1/sweeps/{id}/curves and /distance: metric histories for charts, downsampled on the server.</summary>
public static class CurvesApi
{
    /// <summary>The most points per series a request may ask for.</summary>
    public const int MaxPoints = 5000;

    /// <summary>The most keys one request may ask for.</summary>
    public const int MaxKeys = 20;

    public static IEndpointRouteBuilder MapCurvesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sweeps").WithTags("Curves").RequireSweepAccess(ProjectRoles.Viewer).AllowShareLinks();
        group.MapGet("/{id:guid}/curves", CurvesAsync)
            .WithName("GetSweepCurves")
            .WithSummary("Per-trial metric series (step, epoch, value), each downsampled to at most `points` points (LTTB, default 300). " +
                         "keys: comma-separated metric keys (default trainLoss,valLoss,trainAccuracy,valAccuracy); trials: comma-separated " +
                         "trial ids (default: the sweep's first 50 trials in grid order). group=seeds: instead, per configuration (every " +
                         "grid value but the seed) the seeds' mean line with its 95 % t band per key (x = step).");
        group.MapGet("/{id:guid}/distance", DistanceAsync)
            .WithName("GetSweepDistance")
            .WithSummary("‖w − w0‖ against steps per trial, downsampled on a log axis, with the least-squares fit distance = a + b·ln(step) " +
                         "over steps ≥ 1 (intercept a, slope b, R²), as in the paper's Figure 2, and the report before the first LR drop " +
                         "(window, decades, log and power fits with AIC, the preferred law, or why no slope is given). group=seeds: per " +
                         "configuration, the seeds' mean line with its 95 % band and the report of the mean line.");
        return app;
    }

    internal static async Task<Results<Ok<SweepCurves>, Ok<GroupedSweepCurves>, NotFound, ValidationProblem>> CurvesAsync(
        Guid id, string? keys, string? trials, string? points, string? group, CurveReader reader, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var keyList = ParseKeys(keys, errors);
        var bySeeds = ParseGroup(group, errors);
        var selection = await SelectAsync(id, trials, points, reader, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (selection is not { } s)
        {
            return TypedResults.NotFound();
        }

        if (bySeeds)
        {
            var groups = await reader.ReadGroupedAsync(s.Selected, keyList, s.Points, ct);
            return TypedResults.Ok(new GroupedSweepCurves(id, keyList, s.Points, s.SweepTrialCount, s.Truncated, groups));
        }

        var curves = await reader.CurvesAsync(s.Selected, keyList, s.Points, ct);
        return TypedResults.Ok(new SweepCurves(id, keyList, s.Points, s.SweepTrialCount, s.Truncated, curves));
    }

    internal static async Task<Results<Ok<SweepDistance>, Ok<GroupedSweepDistance>, NotFound, ValidationProblem>> DistanceAsync(
        Guid id, string? trials, string? points, string? group, CurveReader reader, SweepSpecQuery specs, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var bySeeds = ParseGroup(group, errors);
        var selection = await SelectAsync(id, trials, points, reader, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (selection is not { } s)
        {
            return TypedResults.NotFound();
        }

        if (await specs.SpecAsync(id, ct) is not { } spec)
        {
            return TypedResults.NotFound();
        }

        if (bySeeds)
        {
            var groups = await reader.ReadGroupedDistanceAsync(s.Selected, s.Points, spec, ct);
            return TypedResults.Ok(new GroupedSweepDistance(id, s.Points, s.SweepTrialCount, s.Truncated, groups));
        }

        var distances = await reader.DistanceAsync(s.Selected, s.Points, spec, ct);
        return TypedResults.Ok(new SweepDistance(id, s.Points, s.SweepTrialCount, s.Truncated, distances));
    }

    /// <summary>group=seeds groups the trials over seeds; none or absent keeps one series per trial.</summary>
    private static bool ParseGroup(string? group, Dictionary<string, string[]> errors)
    {
        if (group is null || group.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (group.Equals("seeds", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        errors["group"] = [$"Unknown grouping '{group}'. group is seeds (mean and 95 % band per configuration) or none."];
        return false;
    }

    private sealed record TrialSelection(IReadOnlyList<CurveTrial> Selected, bool Truncated, int Points, int SweepTrialCount);

    /// <summary>
    /// Both endpoints' shared first half: parse the trial list and point count, then load the sweep's trials and pick
    /// the requested ones. Problems go into <paramref name="errors"/> (checked before the sweep is looked up, as the
    /// heatmap does); null with no errors means the sweep does not exist.
    /// </summary>
    private static async Task<TrialSelection?> SelectAsync(
        Guid id, string? trials, string? points, CurveReader reader, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var request = Parse(trials, points, errors);
        if (errors.Count > 0 || await reader.TrialsOfSweepAsync(id, ct) is not { } all)
        {
            return null;
        }

        var (selected, truncated) = Select(id, all, request.TrialIds, errors);
        return new TrialSelection(selected, truncated, request.Points, all.Count);
    }

    private static List<string> ParseKeys(string? keys, Dictionary<string, string[]> errors)
    {
        var list = Split(keys).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return [.. CurveKeys.Default];
        }

        var unknown = list.Where(k => !CurveKeys.IsKnown(k)).ToList();
        var messages = unknown
            .Select(k => $"Unknown metric key '{k}'. Keys: {string.Join(", ", CurveKeys.PerEpoch)}, or {CurveKeys.LayerDistancePrefix}<layer>.")
            .ToList();
        if (list.Count > MaxKeys)
        {
            messages.Add($"Ask for at most {MaxKeys} keys; got {list.Count}.");
        }

        if (messages.Count > 0)
        {
            errors["keys"] = [.. messages];
        }

        return list;
    }

    private static (List<Guid>? TrialIds, int Points) Parse(string? trials, string? points, Dictionary<string, string[]> errors)
    {
        List<Guid>? ids = null;
        var parts = Split(trials).ToList();
        if (parts.Count > 0)
        {
            var bad = parts.Where(p => !Guid.TryParse(p, out _)).ToList();
            if (bad.Count > 0)
            {
                errors["trials"] = [.. bad.Select(p => $"'{p}' is not a trial id (a GUID).")];
            }
            else
            {
                ids = parts.Select(Guid.Parse).Distinct().ToList();
                if (ids.Count > CurveReader.MaxTrials)
                {
                    errors["trials"] = [$"Ask for at most {CurveReader.MaxTrials} trials; got {ids.Count}."];
                }
            }
        }

        var count = Downsampler.DefaultMaxPoints;
        if (points is not null
            && (!int.TryParse(points, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < Downsampler.MinPoints || count > MaxPoints))
        {
            errors["points"] = [$"points must be a whole number from {Downsampler.MinPoints} to {MaxPoints}; got '{points}'."];
        }

        return (ids, count);
    }

    /// <summary>The requested trials (each must belong to the sweep), or the sweep's first trials in grid order.</summary>
    private static (IReadOnlyList<CurveTrial> Selected, bool Truncated) Select(
        Guid sweepId, IReadOnlyList<CurveTrial> all, List<Guid>? requested, Dictionary<string, string[]> errors)
    {
        if (requested is null)
        {
            return (all.Take(CurveReader.MaxTrials).ToList(), all.Count > CurveReader.MaxTrials);
        }

        var byId = all.ToDictionary(t => t.Id);
        var foreign = requested.Where(t => !byId.ContainsKey(t)).ToList();
        if (foreign.Count > 0)
        {
            errors["trials"] = [.. foreign.Select(t => $"Trial {t} is not part of sweep {sweepId}.")];
            return ([], false);
        }

        return (requested.Select(t => byId[t]).ToList(), false);
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

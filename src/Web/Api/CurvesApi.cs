using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
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
        var group = app.MapGroup("/api/v1/sweeps").WithTags("Curves");
        group.MapGet("/{id:guid}/curves", CurvesAsync)
            .WithName("GetSweepCurves")
            .WithSummary("Per-trial metric series (step, epoch, value), each downsampled to at most `points` points (LTTB, default 300). " +
                         "keys: comma-separated metric keys (default trainLoss,valLoss,trainAccuracy,valAccuracy); trials: comma-separated " +
                         "trial ids (default: the sweep's first 50 trials in grid order).");
        group.MapGet("/{id:guid}/distance", DistanceAsync)
            .WithName("GetSweepDistance")
            .WithSummary("‖w − w0‖ against steps per trial, downsampled on a log axis, with the least-squares fit distance = a + b·ln(step) " +
                         "over steps ≥ 1 (intercept a, slope b, R²), as in the paper's Figure 2.");
        return app;
    }

    internal static async Task<Results<Ok<SweepCurves>, NotFound, ValidationProblem>> CurvesAsync(
        Guid id, string? keys, string? trials, string? points, CurveReader reader, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var keyList = ParseKeys(keys, errors);
        var request = Parse(trials, points, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var all = await reader.TrialsOfSweepAsync(id, ct);
        if (all is null)
        {
            return TypedResults.NotFound();
        }

        var (selected, truncated) = Select(id, all, request.TrialIds, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var curves = await reader.CurvesAsync(selected, keyList, request.Points, ct);
        return TypedResults.Ok(new SweepCurves(id, keyList, request.Points, all.Count, truncated, curves));
    }

    internal static async Task<Results<Ok<SweepDistance>, NotFound, ValidationProblem>> DistanceAsync(
        Guid id, string? trials, string? points, CurveReader reader, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var request = Parse(trials, points, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var all = await reader.TrialsOfSweepAsync(id, ct);
        if (all is null)
        {
            return TypedResults.NotFound();
        }

        var (selected, truncated) = Select(id, all, request.TrialIds, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var distances = await reader.DistanceAsync(selected, request.Points, ct);
        return TypedResults.Ok(new SweepDistance(id, request.Points, all.Count, truncated, distances));
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

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using System.Security.Cryptography;
using System.Text;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>
/// What the heatmap endpoint answers: the sweep's results version and the ETag it names (ADR 0013), and the
/// projection at that version, from <see cref="HeatmapCache"/> or read from the trial rows and their history.
/// </summary>
public sealed class HeatmapReader(
    TrialResultsQuery trialResults, SweepSpecQuery specs, EpochValuesQuery epochValues, ResultsVersionQuery versions, HeatmapCache cache)
{
    /// <summary>
    /// The version of the answer to <paramref name="request"/> now, and the ETag that names it. The version is read
    /// before the results are, so a projection is never kept under a version newer than what it read.
    /// </summary>
    public async Task<HeatmapVersion> VersionAsync(Guid sweepId, HeatmapRequest request, CancellationToken ct)
    {
        var version = await versions.VersionAsync(sweepId, ct);
        var key = Key(request);
        var query = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 8);
        return new HeatmapVersion(version, key, $"\"{version}.{query}\"");
    }

    /// <summary>A <see cref="Heatmap"/> or, with a facet, a <see cref="FacetedHeatmap"/>; null when there is no such sweep.</summary>
    public async Task<object?> ProjectAsync(Guid sweepId, HeatmapRequest request, HeatmapQuery query, GridAxis? facet, HeatmapVersion version, CancellationToken ct)
    {
        if (cache.Get(sweepId, version.Key, version.Results) is { } cached)
        {
            return cached;
        }

        var projection = await ReadAsync(sweepId, request, query, facet, ct);
        if (projection is not null)
        {
            cache.Set(sweepId, version.Key, version.Results, projection);
        }

        return projection;
    }

    // Every field of the request, so that a parameter added later is part of the key without being listed here.
    private static string Key(HeatmapRequest request) => request.ToString();

    private async Task<object?> ReadAsync(Guid sweepId, HeatmapRequest request, HeatmapQuery query, GridAxis? facet, CancellationToken ct)
    {
        // The history of epoch N or best needs no trial rows: read it beside them, each on its own connection (at
        // 10,000 trials each read takes tens of milliseconds, and the two do not wait on each other).
        var historyRead = HeatmapInputs.HistoryAsync(epochValues, sweepId, query.Metric, query.At, ct);
        var resultsRead = trialResults.ResultsAsync(sweepId, ct);
        await Task.WhenAll(historyRead, resultsRead);
        var results = await resultsRead;
        if (results is null || await specs.SpecAsync(sweepId, ct) is not { } spec)
        {
            return null;
        }

        // The paper's gap is measured against B = G = B_ref at regime 1 unless the request names another cell. It is
        // passed for every metric: each cell's toBaseline and withinNoise are measured against it.
        var reference = spec.Training.ReferenceBatchSize;
        var baseline = new BaselineCell(request.BaselineBatchSize ?? reference, request.BaselineGhostBatchSize ?? reference, request.BaselineRegime ?? 1);
        query = query with { Baseline = baseline };
        results = HeatmapInputs.WithHistory(results, query.Metric, await historyRead);
        var withIds = request.TrialIds == true;

        // Without a facet the response keeps its original shape: one heatmap.
        if (facet is { } axis)
        {
            var faceted = HeatmapProjector.ProjectFacets(results, query, axis);
            return withIds ? faceted : faceted.WithoutTrialIds();
        }

        var map = HeatmapProjector.Project(results, query);
        return withIds ? map : map.WithoutTrialIds();
    }
}

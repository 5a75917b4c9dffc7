using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Results;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Per trial of a sweep, one per-epoch key's value after each completed epoch, or after one epoch only: the history
/// a heatmap at "best" or "epoch N" needs (see <see cref="HeatmapInputs"/>).
/// </summary>
public sealed class EpochValuesQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>
    /// Per trial of a sweep, one per-epoch key's value after each completed epoch, or after <paramref name="epoch"/>
    /// only. weightDistance is also recorded every N steps, tagged with the 0-based epoch in progress; the point with
    /// the smallest step of an epoch tag is the one written at that epoch's end, so that is the one read.
    /// </summary>
    /// <remarks>
    /// Per trial, one range of ix_metric_points_trial_id_key_epoch_step, read in (epoch, step) order with the value
    /// in the index: the first entry of each epoch is the answer, with no sort and no heap row per point. At 10,000
    /// trials a join that sorted all of a key's points took longer than the rest of the heatmap together.
    /// </remarks>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<EpochValue>>> EpochValuesAsync(Guid sweepId, string key, int? epoch, CancellationToken ct)
    {
        var sql = $"""
            SELECT t.id, p.epoch, p.value
              FROM trials t
             CROSS JOIN LATERAL (
                   SELECT DISTINCT ON (m.epoch) m.epoch, m.value
                     FROM metric_points m
                    WHERE m.trial_id = t.id AND m.key = @key {(epoch is null ? "" : "AND m.epoch = @epoch")}
                    ORDER BY m.epoch, m.step) p
             WHERE t.sweep_id = @sweep
            """;
        var parameters = new Dictionary<string, object> { ["sweep"] = sweepId, ["key"] = key };
        if (epoch is { } n)
        {
            parameters["epoch"] = n;
        }

        var values = new Dictionary<Guid, List<EpochValue>>();
        await foreach (var (trial, point) in StreamingQuery.ReadAsync(contexts, sql, parameters, r => (r.GetGuid(0), new EpochValue(r.GetInt32(1), r.GetDouble(2))), ct))
        {
            if (!values.TryGetValue(trial, out var list))
            {
                values[trial] = list = [];
            }

            list.Add(point);
        }

        return values.ToDictionary(v => v.Key, v => (IReadOnlyList<EpochValue>)v.Value);
    }
}

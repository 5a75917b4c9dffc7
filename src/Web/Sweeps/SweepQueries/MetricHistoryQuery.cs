using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Web.Sweeps;

/// <summary>
/// A trial's recorded metric points: GET /api/v1/trials/{id}/metrics. Access is checked before it gets here
/// (ApiAccessMiddleware).
/// </summary>
public sealed class MetricHistoryQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>A trial's metric history, keyset-paged on (key, step); null when there is no such trial.</summary>
    public async Task<Page<MetricPointView>?> MetricsAsync(Guid trialId, string? key, string? cursor, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, ct))
        {
            return null;
        }

        var query = db.MetricPoints.AsNoTracking().Where(m => m.TrialId == trialId);
        if (key is not null)
        {
            query = query.Where(m => m.Key == key);
        }

        if (Cursor.DecodeKeyStep(cursor) is { } after)
        {
            // Translated to SQL's ">" on the column, the order the keyset index has; an ordinal overload would not translate.
#pragma warning disable CA1309
            query = query.Where(m => string.Compare(m.Key, after.Key) > 0 || (m.Key == after.Key && m.Step > after.Step));
#pragma warning restore CA1309
        }

        var rows = await query.OrderBy(m => m.Key).ThenBy(m => m.Step).Take(limit + 1).ToListAsync(ct);
        var items = rows.Take(limit).Select(m => new MetricPointView(m.Key, m.Value, m.Step, m.Epoch, m.RecordedAt)).ToList();
        return new Page<MetricPointView>(items, rows.Count > limit ? Cursor.EncodeKeyStep(items[^1].Key, items[^1].Step) : null);
    }
}

using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Sweep.Data;
using Sweep.Data.Commands;

namespace Sweep.Web.Sweeps;

/// <summary>Pinning a trial's checkpoint (kept when the trial ends) and what the stored checkpoints weigh.</summary>
public sealed class TrialCheckpoints(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>How many sweeps the summary breaks down, largest first.</summary>
    public const int SummarySweeps = 20;

    /// <summary>Pins or unpins; unpinning a checkpoint whose trial has ended for good deletes it (<see cref="CheckpointCommands"/>).</summary>
    public async Task<ControlResult> SetPinnedAsync(Guid trialId, bool pinned, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await CheckpointCommands.SetPinnedAsync(db, trialId, pinned, ct) ? ControlResult.Done : ControlResult.NotFound;
    }

    /// <summary>
    /// Count and bytes of every stored checkpoint, and of the pinned ones; per sweep only for the sweeps in
    /// <paramref name="readableProjects"/> (null: all), so that the breakdown names no sweep the caller cannot open.
    /// </summary>
    public async Task<CheckpointSummary> SummaryAsync(IReadOnlyList<Guid>? readableProjects, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // octet_length reads the stored size; the bytes themselves are never fetched. The columns are named as the
        // snake_case convention names the records' properties.
        var total = await db.Database.SqlQuery<CheckpointTotals>(
            $"""
            SELECT count(*)::bigint AS count, coalesce(sum(octet_length(data)), 0)::bigint AS bytes,
                   count(*) FILTER (WHERE pinned)::bigint AS pinned_count,
                   coalesce(sum(octet_length(data)) FILTER (WHERE pinned), 0)::bigint AS pinned_bytes
              FROM trial_checkpoints
            """).SingleAsync(ct);
        var projects = new NpgsqlParameter("projects", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = (object?)readableProjects?.ToArray() ?? DBNull.Value };
        var sweeps = await db.Database.SqlQueryRaw<SweepCheckpoints>(
            """
            SELECT s.id AS sweep_id, s.name AS name, count(*)::bigint AS count, sum(octet_length(c.data))::bigint AS bytes
              FROM trial_checkpoints c JOIN trials t ON t.id = c.trial_id JOIN sweeps s ON s.id = t.sweep_id
             WHERE @projects IS NULL OR s.project_id = ANY (@projects)
             GROUP BY s.id, s.name
             ORDER BY 4 DESC, s.name
             LIMIT @limit
            """,
            projects, new NpgsqlParameter("limit", SummarySweeps)).ToListAsync(ct);
        return new CheckpointSummary(total.Count, total.Bytes, total.PinnedCount, total.PinnedBytes, sweeps);
    }

    private sealed record CheckpointTotals(long Count, long Bytes, long PinnedCount, long PinnedBytes);
}

/// <summary>Stored checkpoints: all of them, the pinned ones, and the largest sweeps the caller may read.</summary>
public sealed record CheckpointSummary(long Count, long Bytes, long PinnedCount, long PinnedBytes, IReadOnlyList<SweepCheckpoints> Sweeps);

public sealed record SweepCheckpoints(Guid SweepId, string Name, long Count, long Bytes);

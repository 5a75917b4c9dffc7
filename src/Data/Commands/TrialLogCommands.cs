using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sweep.Data.Commands;

/// <summary>
/// The worker's writes of trainer output (table trial_log_chunks). Unfenced by the lease on purpose: what a trainer
/// said before its lease was lost is what explains the loss, and each attempt writes only under its own number.
/// </summary>
public sealed class TrialLogCommands(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>The number of the newest attempt <paramref name="owner"/> started on the trial (its claim wrote it); null if none.</summary>
    public async Task<int?> AttemptOfAsync(Guid trialId, string owner, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var numbers = await db.Database.SqlQuery<int?>(
            $"""SELECT max(number) AS "Value" FROM trial_attempts WHERE trial_id = {trialId} AND worker = {owner}""").ToListAsync(ct);
        return numbers is [{ } number] ? number : null;
    }

    /// <summary>
    /// Appends the chunks in one round trip; when <paramref name="trimToBytes"/> is set, then deletes the attempt's
    /// oldest chunks until the rest fit in it. Returns the bytes deleted.
    /// </summary>
    public async Task<long> AppendAsync(Guid trialId, int attempt, IReadOnlyList<LogChunkWrite> chunks, long? trimToBytes, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO trial_log_chunks (trial_id, attempt, stream, stream_offset, text, bytes, at)
            SELECT $1, $2, u.stream, u.stream_offset, u.text, u.bytes, u.at
              FROM unnest($3::text[], $4::bigint[], $5::text[], $6::int[], $7::timestamptz[]) AS u(stream, stream_offset, text, bytes, at)
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = trialId });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt });
        insert.Parameters.Add(new NpgsqlParameter { Value = chunks.Select(c => c.Stream).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = chunks.Select(c => c.StreamOffset).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = chunks.Select(c => c.Text).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = chunks.Select(c => c.Bytes).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = chunks.Select(c => c.At).ToArray() });
        batch.BatchCommands.Add(insert);
        if (trimToBytes is { } limit)
        {
            // Newest first, the running total says which chunks still fit: every one past the limit goes.
            var trim = new NpgsqlBatchCommand(
                """
                WITH gone AS (
                    DELETE FROM trial_log_chunks WHERE id IN (
                        SELECT id FROM (
                            SELECT id, sum(bytes) OVER (ORDER BY id DESC) AS kept
                              FROM trial_log_chunks WHERE trial_id = $1 AND attempt = $2) newest_first
                         WHERE kept > $3)
                    RETURNING bytes)
                SELECT coalesce(sum(bytes), 0)::bigint FROM gone
                """);
            trim.Parameters.Add(new NpgsqlParameter { Value = trialId });
            trim.Parameters.Add(new NpgsqlParameter { Value = attempt });
            trim.Parameters.Add(new NpgsqlParameter { Value = limit });
            batch.BatchCommands.Add(trim);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (trimToBytes is null)
        {
            return 0;
        }

        await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0;
    }
}

/// <summary>One chunk to append: whole lines of one stream, where they start in it, and when they were flushed.</summary>
public sealed record LogChunkWrite(string Stream, long StreamOffset, string Text, int Bytes, DateTimeOffset At);

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The sweeps list, for the Home page and GET /api/v1/sweeps alike: one SQL query (same columns, same filters, same
/// lateral aggregate) paged two ways. The API walks it keyset-paged with an opaque cursor, so that a client sees every
/// sweep exactly once even while new sweeps are created, and a deep page costs the same as the first; the Home page
/// shows numbered pages with a total. Only sweeps of projects the caller may read are listed
/// (<paramref name="access"/>, required: there is no unfiltered list).
/// </summary>
public sealed class SweepListPageQuery(IDbContextFactory<SweepDbContext> contexts, Access.SweepAccess access)
{
    /// <summary>A page of sweeps after <paramref name="cursor"/>; filters, sort and direction come from <paramref name="query"/>.</summary>
    public async Task<Page<SweepListItem>> KeysetPageAsync(SweepListQuery query, SweepCursor? cursor, int limit, CancellationToken ct)
    {
        var (where, parameters) = await SweepListConditions.ScopeAsync(query, access, ct);
        var me = await access.MemberIdAsync(ct);
        var desc = query.Descending;
        var (key, keyCast) = SortKey(query.Sort, desc);
        if (cursor is not null)
        {
            // Row comparison on (key, id) is the keyset condition; its direction follows the order.
            where.Add($"({key}, s.id) {(desc ? "<" : ">")} (@after_key::{keyCast}, @after_id)");
            parameters.Add(new("after_key", cursor.Key));
            parameters.Add(new("after_id", cursor.Id));
        }

        // Each sort is made total by the sweep id; one row past the page tells whether there is a next one.
        var direction = desc ? "DESC" : "ASC";
        var sql = Sql($"({key})::text", where, $"{key} {direction}, s.id {direction}", "LIMIT @limit");
        parameters.Add(new("limit", limit + 1));

        var items = new List<SweepListItem>();
        string? nextCursor = null;
        string? lastKey = null;
        await ReadAsync(sql, parameters, reader =>
        {
            if (items.Count == limit)
            {
                nextCursor = new SweepCursor(query.Sort, desc, lastKey!, items[^1].Id).Encode();
                return false;
            }

            items.Add(ReadItem(reader, me));
            lastKey = reader.GetString(12);
            return true;
        }, ct);
        return new Page<SweepListItem>(items, nextCursor);
    }

    /// <summary>
    /// One numbered page (1-based) of the list, with the total from a window count, so that a page costs the same with
    /// 10 sweeps or 10,000.
    /// </summary>
    public async Task<SweepListPage> NumberedPageAsync(SweepListQuery query, CancellationToken ct)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var page = Math.Max(1, query.Page);
        var (where, parameters) = await SweepListConditions.ScopeAsync(query, access, ct);
        var me = await access.MemberIdAsync(ct);
        var sql = Sql("COUNT(*) OVER () AS total", where, NumberedOrder(query.Sort, query.Descending), "LIMIT @limit OFFSET @offset");
        parameters.Add(new("limit", pageSize));
        parameters.Add(new("offset", (long)(page - 1) * pageSize));

        var items = new List<SweepListItem>();
        var total = 0;
        await ReadAsync(sql, parameters, reader =>
        {
            items.Add(ReadItem(reader, me));
            total = (int)reader.GetInt64(12);
            return true;
        }, ct);
        return new SweepListPage(items, total, page, pageSize);
    }

    /// <summary>
    /// The list's one query: each sweep's trial counts by state and best completed validation accuracy come from a
    /// lateral aggregate over its trials (index on sweep_id). Column 12 is the pager's own (<paramref name="column12"/>),
    /// the rest is what <see cref="ReadItem"/> reads.
    /// </summary>
    private static string Sql(string column12, List<string> where, string orderBy, string paging) => $"""
        SELECT s.id, s.name, s.dataset, s.model, s.state, s.created_at,
               a.queued, a.running, a.completed, a.failed, a.cancelled, a.best,
               {column12}, s.is_example, p.slug, p.name, s.created_by, s.tags
        FROM sweeps s
        LEFT JOIN projects p ON p.id = s.project_id
        CROSS JOIN LATERAL (
            SELECT COUNT(*) FILTER (WHERE t.state = 'queued') AS queued,
                   COUNT(*) FILTER (WHERE t.state = 'running') AS running,
                   COUNT(*) FILTER (WHERE t.state = 'completed') AS completed,
                   COUNT(*) FILTER (WHERE t.state = 'failed') AS failed,
                   COUNT(*) FILTER (WHERE t.state = 'cancelled') AS cancelled,
                   MAX(t.final_val_accuracy) FILTER (WHERE t.state = 'completed' AND t.final_val_accuracy <> 'NaN') AS best
            FROM trials t
            WHERE t.sweep_id = s.id) a
        {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
        ORDER BY {orderBy}
        {paging}
        """;

    /// <summary>Runs the list's query and hands each row to <paramref name="row"/> until it returns false.</summary>
    private async Task ReadAsync(string sql, List<NpgsqlParameter> parameters, Func<DbDataReader, bool> row, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!row(reader))
            {
                break;
            }
        }
    }

    /// <summary>
    /// The sort key as SQL and its type. The key is read back as text and cast back in the next query, so a cursor
    /// carries exactly what PostgreSQL compared (microsecond timestamps, the name as lowercased). Sweeps without a
    /// best accuracy sort last either way, as on the numbered pages.
    /// </summary>
    private static (string Sql, string Type) SortKey(SweepListSort sort, bool descending) => sort switch
    {
        SweepListSort.Name => ("lower(s.name)", "text"),
        SweepListSort.BestAccuracy => ($"COALESCE(a.best, '{(descending ? "-Infinity" : "Infinity")}'::double precision)", "double precision"),
        _ => ("s.created_at", "timestamptz"),
    };

    /// <summary>
    /// The numbered pages' order: the keyset order, except that sweeps with the same best accuracy (or none) come
    /// newest first, as the Home page has always listed them; a cursor cannot carry that second key, the page number can.
    /// </summary>
    private static string NumberedOrder(SweepListSort sort, bool descending)
    {
        var direction = descending ? "DESC" : "ASC";
        return sort switch
        {
            SweepListSort.Name => $"lower(s.name) {direction}, s.id {direction}",
            SweepListSort.BestAccuracy => $"a.best {direction} NULLS LAST, s.created_at DESC, s.id DESC",
            _ => $"s.created_at {direction}, s.id {direction}",
        };
    }

    /// <summary>
    /// One row of the list's query: columns 0–5 are id, name, dataset, model, state and created_at, 6–10 the trial
    /// counts by state, 11 the best accuracy, 13 is_example, 14 and 15 the project's slug and name, 16 created_by, 17 tags
    /// (column 12 is the pager's own: the cursor key, or the total).
    /// </summary>
    /// <param name="me">The caller's account, whose own sweeps are marked <see cref="SweepListItem.IsMine"/>.</param>
    private static SweepListItem ReadItem(DbDataReader reader, Guid? me)
    {
        Guid? creator = reader.IsDBNull(16) ? null : reader.GetGuid(16);
        var counts = new Dictionary<string, int>
        {
            [TrialState.Queued] = (int)reader.GetInt64(6),
            [TrialState.Running] = (int)reader.GetInt64(7),
            [TrialState.Completed] = (int)reader.GetInt64(8),
            [TrialState.Failed] = (int)reader.GetInt64(9),
            [TrialState.Cancelled] = (int)reader.GetInt64(10),
        };
        var state = reader.GetString(4);
        return new SweepListItem(
            reader.GetGuid(0), reader.GetString(1), creator is { } c ? Access.MemberView.Alias(c) : null, reader.GetString(2), reader.GetString(3), state,
            SweepStatus.Of(state, counts), reader.GetFieldValue<DateTimeOffset>(5), counts,
            reader.IsDBNull(11) ? null : reader.GetDouble(11))
        {
            IsExample = reader.GetBoolean(13),
            ProjectSlug = reader.IsDBNull(14) ? null : reader.GetString(14),
            ProjectName = reader.IsDBNull(15) ? null : reader.GetString(15),
            IsMine = creator is not null && creator == me,
            Tags = reader.GetFieldValue<string[]>(17),
        };
    }
}

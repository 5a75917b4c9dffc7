using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The API's sweeps list: filtered and ordered like the Home page, but keyset-paged with an opaque cursor, so that a
/// client walking the pages sees every sweep exactly once even while new sweeps are created, and a deep page costs
/// the same as the first. Each sort is made total by the sweep id. Only sweeps of projects the caller may read are
/// listed (<paramref name="access"/>, required: there is no unfiltered feed).
/// </summary>
public sealed class SweepFeed(IDbContextFactory<SweepDbContext> contexts, Access.SweepAccess access)
{
    /// <summary>A page of sweeps after <paramref name="cursor"/>; filters, sort and direction come from <paramref name="query"/>.</summary>
    public async Task<Page<SweepListItem>> PageAsync(SweepListQuery query, SweepCursor? cursor, int limit, CancellationToken ct)
    {
        var (where, parameters) = await ScopeAsync(query, access, ct);
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

        var direction = desc ? "DESC" : "ASC";
        var sql = $"""
            SELECT s.id, s.name, s.dataset, s.model, s.state, s.created_at,
                   a.queued, a.running, a.completed, a.failed, a.cancelled, a.best, ({key})::text, s.is_example, p.slug, p.name, s.created_by
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
            ORDER BY {key} {direction}, s.id {direction}
            LIMIT @limit
            """;
        parameters.Add(new("limit", limit + 1));

        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        var items = new List<SweepListItem>();
        string? nextCursor = null;
        string? lastKey = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (items.Count == limit)
            {
                var last = items[^1];
                nextCursor = new SweepCursor(query.Sort, desc, lastKey!, last.Id).Encode();
                break;
            }

            items.Add(ReadItem(reader, me));
            lastKey = reader.GetString(12);
        }

        return new Page<SweepListItem>(items, nextCursor);
    }

    /// <summary>
    /// The sort key as SQL and its type. The key is read back as text and cast back in the next query, so a cursor
    /// carries exactly what PostgreSQL compared (microsecond timestamps, the name as lowercased). Sweeps without a
    /// best accuracy sort last either way, as on the Home page.
    /// </summary>
    private static (string Sql, string Type) SortKey(SweepListSort sort, bool descending) => sort switch
    {
        SweepListSort.Name => ("lower(s.name)", "text"),
        SweepListSort.BestAccuracy => ($"COALESCE(a.best, '{(descending ? "-Infinity" : "Infinity")}'::double precision)", "double precision"),
        _ => ("s.created_at", "timestamptz"),
    };

    /// <summary>
    /// One row of the sweeps-list query, shared with the Home page's listing: columns 0–5 are id, name, dataset,
    /// model, state and created_at, 6–10 the trial counts by state, 11 the best accuracy, 13 is_example, 14 and 15
    /// the project's slug and name, 16 created_by (column 12 is the caller's own: the cursor key here, the total on the Home page).
    /// </summary>
    /// <param name="me">The caller's account, whose own sweeps are marked <see cref="SweepListItem.IsMine"/>.</param>
    internal static SweepListItem ReadItem(System.Data.Common.DbDataReader reader, Guid? me)
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
        };
    }

    /// <summary>
    /// The list's conditions, shared by the API's feed and the Home page: the filters, the projects the caller may
    /// read, and "Mine" as the caller's own sweeps (the page stays one query). The query must
    /// join <c>projects p</c> on the sweep's project.
    /// </summary>
    internal static async Task<(List<string> Where, List<NpgsqlParameter> Parameters)> ScopeAsync(SweepListQuery query, Access.SweepAccess access, CancellationToken ct)
    {
        var (where, parameters) = Filter(query);
        if (await access.ReadableProjectsAsync(ct) is { } readable)
        {
            where.Add("s.project_id = ANY(@projects)");
            parameters.Add(new("projects", readable.ToArray()));
        }

        if (query.Mine)
        {
            // A caller without an account (a share link) created nothing: the filter then matches no sweep.
            where.Add("s.created_by = @creator");
            parameters.Add(new("creator", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)await access.MemberIdAsync(ct) ?? DBNull.Value });
        }

        return (where, parameters);
    }

    /// <summary>The list's filters (name, project, dataset, model, status, examples) as SQL conditions.</summary>
    internal static (List<string> Where, List<NpgsqlParameter> Parameters) Filter(SweepListQuery query)
    {
        var where = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        if (!string.IsNullOrWhiteSpace(query.Name))
        {
            var escaped = query.Name.Trim().Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
            where.Add("s.name ILIKE @name");
            parameters.Add(new("name", "%" + escaped + "%"));
        }

        if (!string.IsNullOrWhiteSpace(query.Project))
        {
            var project = query.Project.Trim();
            if (Guid.TryParse(project, out var projectId))
            {
                where.Add("s.project_id = @project_id");
                parameters.Add(new("project_id", projectId));
            }
            else
            {
                where.Add("p.slug = @project_slug");
                parameters.Add(new("project_slug", project.ToLowerInvariant()));
            }
        }

        if (query.Example is { } example)
        {
            where.Add("s.is_example = @example");
            parameters.Add(new("example", example));
        }

        if (!string.IsNullOrWhiteSpace(query.Dataset))
        {
            where.Add("s.dataset = @dataset");
            parameters.Add(new("dataset", query.Dataset));
        }

        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            where.Add("s.model = @model");
            parameters.Add(new("model", query.Model));
        }

        switch (query.Status)
        {
            case SweepStatus.Paused or SweepStatus.Cancelled:
                where.Add("s.state = @state");
                parameters.Add(new("state", query.Status));
                break;
            case SweepStatus.Running:
                where.Add("s.state = 'active' AND a.running > 0");
                break;
            case SweepStatus.Queued:
                where.Add("s.state = 'active' AND a.running = 0 AND a.queued > 0");
                break;
            case SweepStatus.Finished:
                where.Add("s.state = 'active' AND a.running = 0 AND a.queued = 0");
                break;
        }

        return (where, parameters);
    }
}

/// <summary>Where a page of the sweeps list ended: the sort it belongs to and the last row's (key, id).</summary>
public sealed record SweepCursor(SweepListSort Sort, bool Descending, string Key, Guid Id)
{
    private const string Prefix = "s1";

    public string Encode() => Cursor.EncodeText(string.Join('\n', Prefix, Sort.ToString(), Descending ? "d" : "a", Id.ToString("N"), Key));

    /// <summary>Null when the text is not a sweeps-list cursor.</summary>
    public static SweepCursor? Decode(string? cursor)
    {
        var parts = Cursor.DecodeText(cursor)?.Split('\n', 5);
        return parts is [Prefix, var sort, "d" or "a", var id, var key]
            && Enum.TryParse<SweepListSort>(sort, out var s)
            && Guid.TryParseExact(id, "N", out var guid)
                ? new SweepCursor(s, parts[2] == "d", key, guid)
                : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sort} {(Descending ? "desc" : "asc")} after ({Key}, {Id})");
}

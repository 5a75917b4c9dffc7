using Npgsql;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The sweeps list's WHERE conditions as SQL, kept apart from the paging so that the API and the Home page filter
/// with exactly the same semantics.
/// </summary>
internal static class SweepListConditions
{
    /// <summary>
    /// The list's conditions, shared by both pagers of <see cref="SweepListPageQuery"/>: the filters, the projects the
    /// caller may read, and "Mine" as the caller's own sweeps (the page stays one query). The query must join
    /// <c>projects p</c> on the sweep's project.
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

    /// <summary>The list's filters (name, project, tags, dataset, model, status, examples) as SQL conditions.</summary>
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

        if (query.Tags is { Count: > 0 } tags)
        {
            // Containment: a sweep matches when it carries every tag asked for (the GIN index on tags answers it).
            where.Add("s.tags @> @tags");
            parameters.Add(new("tags", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = tags.ToArray() });
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

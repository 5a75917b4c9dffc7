using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Results;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Read side of sweeps, shared by the REST API and the Blazor pages. Lists show only the projects the caller may
/// read (<paramref name="access"/>, required: there is no unfiltered reader); reads by id are checked before they get
/// here (ApiAccessMiddleware, ResourceGate, the pages' own checks).
/// </summary>
public sealed partial class SweepReader(IDbContextFactory<SweepDbContext> contexts, Access.SweepAccess access)
{
    private Task<IReadOnlyList<Guid>?> ReadableProjectsAsync(CancellationToken ct) => access.ReadableProjectsAsync(ct);

    public async Task<SweepDetail?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null)
        {
            return null;
        }

        // Project to the view in SQL: the rows' jsonb config and environment are not read for a list of 10,000.
        var views = await db.Trials.AsNoTracking()
            .Where(t => t.SweepId == id)
            .OrderByGrid()
            .Select(ViewOf)
            .ToListAsync(ct);
        views = await GuardMetrics.JoinAsync(contexts, views, ct);
        var activeWorkers = await db.Workers.CountAsync(w => w.State == WorkerState.Active && w.HeartbeatAt > DateTimeOffset.UtcNow.AddSeconds(-60), ct);
        return new SweepDetail(
            sweep.Id, sweep.Name, sweep.Dataset, sweep.Model, sweep.State, sweep.CreatedAt, sweep.SkippedCells,
            CountStates(views.Select(v => v.State)), Progress(views, activeWorkers), SweepJson.Deserialize(sweep.Spec), views)
        {
            IsExample = sweep.IsExample,
        };
    }

    /// <summary>
    /// Epochs done and planned, compute spent (finished trials' wall time plus running ones' so far), and an ETA:
    /// the measured seconds per epoch times the epochs left, spread over the active workers.
    /// </summary>
    public static SweepProgress Progress(IReadOnlyCollection<TrialView> trials, int activeWorkers)
    {
        var now = DateTimeOffset.UtcNow;
        var compute = trials.Sum(t => t.StartedAt is { } start ? ((t.FinishedAt ?? (t.State == TrialState.Running ? now : start)) - start).TotalSeconds : 0);
        var done = trials.Sum(t => (long)t.CurrentEpoch);
        var planned = trials.Where(t => t.State != TrialState.Cancelled).Sum(t => (long)Math.Max(t.TotalEpochs, t.CurrentEpoch));
        var measured = trials.Where(t => t.CurrentEpoch > 0 && t.StartedAt is not null).ToList();
        double? eta = null;
        if (measured.Count > 0)
        {
            var secondsPerEpoch = measured.Sum(t => ((t.FinishedAt ?? now) - t.StartedAt!.Value).TotalSeconds) / measured.Sum(t => t.CurrentEpoch);
            var left = trials.Where(t => t.State is TrialState.Queued or TrialState.Running).Sum(t => (long)Math.Max(0, t.TotalEpochs - t.CurrentEpoch));
            eta = secondsPerEpoch * left / Math.Max(1, activeWorkers);
        }

        return new SweepProgress(done, planned, compute, eta, activeWorkers);
    }

    /// <summary>The trials of a sweep, filtered by grid values and state, ordered by grid values or a final metric.</summary>
    public async Task<Page<TrialView>?> TrialsAsync(Guid sweepId, TrialFilter filter, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return null;
        }

        var query = db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId);
        if (filter.State is { } state)
        {
            query = query.Where(t => t.State == state);
        }

        if (filter.BatchSize is { } b)
        {
            query = query.Where(t => t.BatchSize == b);
        }

        if (filter.GhostBatchSize is { } g)
        {
            query = query.Where(t => t.GhostBatchSize == g);
        }

        if (filter.RegimeMultiplier is { } r)
        {
            query = query.Where(t => t.RegimeMultiplier == r);
        }

        if (filter.Seed is { } seed)
        {
            query = query.Where(t => t.Seed == seed);
        }

        if (filter.LrScaling is { } rule)
        {
            query = query.Where(t => t.LrScaling == rule);
        }

        if (filter.GbnImplementation is { } gbn)
        {
            query = query.Where(t => t.GbnImplementation == gbn);
        }

        if (filter.RunningStats is { } stats)
        {
            query = query.Where(t => t.RunningStats == stats);
        }

        if (filter.MinValAccuracy is { } min)
        {
            query = query.Where(t => t.Final.ValAccuracy >= min);
        }

        var ordered = TrialOrder.Apply(query, filter.OrderBy, filter.Descending);
        var offset = Cursor.Decode(filter.Cursor);
        var rows = await ordered.ThenBy(t => t.Id).Skip(offset).Take(filter.Limit + 1).Select(ViewOf).ToListAsync(ct);
        var items = await GuardMetrics.JoinAsync(contexts, rows.Take(filter.Limit).ToList(), ct);
        return new Page<TrialView>(items, rows.Count > filter.Limit ? Cursor.Encode(offset + filter.Limit) : null);
    }

    public async Task<TrialDetail?> TrialAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, ct);
        if (trial is null)
        {
            return null;
        }

        var checkpoint = await db.Checkpoints.Where(c => c.TrialId == trialId).Select(c => new { c.Epoch, c.Pinned }).SingleOrDefaultAsync(ct);
        var view = (await GuardMetrics.JoinAsync(contexts, [ToView(trial)], ct))[0];
        var attempts = await db.TrialAttempts.AsNoTracking().Where(a => a.TrialId == trialId).OrderBy(a => a.Number)
            .Select(a => new TrialAttemptView(a.Number, a.Worker, a.StartedAt, a.EndedAt, a.Outcome, a.FailureKind, a.Error))
            .ToListAsync(ct);
        return new TrialDetail(view, trial.SweepId, trial.LeaseOwner, Json(trial.Config), Json(trial.Environment), checkpoint?.Epoch)
        {
            Attempts = attempts,
            CheckpointPinned = checkpoint?.Pinned ?? false,
        };
    }

    /// <summary>A trial's metric history, keyset-paged on (key, step).</summary>
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
            query = query.Where(m => string.Compare(m.Key, after.Key) > 0 || (m.Key == after.Key && m.Step > after.Step));
        }

        var rows = await query.OrderBy(m => m.Key).ThenBy(m => m.Step).Take(limit + 1).ToListAsync(ct);
        var items = rows.Take(limit).Select(m => new MetricPointView(m.Key, m.Value, m.Step, m.Epoch, m.RecordedAt)).ToList();
        return new Page<MetricPointView>(items, rows.Count > limit ? Cursor.EncodeKeyStep(items[^1].Key, items[^1].Step) : null);
    }

    private static System.Text.Json.JsonElement? Json(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    public async Task<IReadOnlyList<TrialResult>?> ResultsAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, ct))
        {
            return null;
        }

        var trials = await db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId).ToListAsync(ct);
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        var guards = await GuardMetrics.LatestAsync(contexts, completed.Select(t => t.Id).ToList(), ct);
        var results = trials.Select(t => new TrialResult(
            t.CellOf(),
            t.State,
            t.State == TrialState.Completed ? GuardMetrics.Join(Metrics(t.Final), guards, t.Id) : new Dictionary<string, double>()) { Id = t.Id }).ToList();
        return await GuardMetrics.CompleteAsync(contexts, results, ct);
    }

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

    /// <summary>The stored spec of a sweep, without its trials: what cloning a sweep starts from.</summary>
    public async Task<SweepSpec?> SpecAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var json = await db.Sweeps.AsNoTracking().Where(s => s.Id == id).Select(s => s.Spec).SingleOrDefaultAsync(ct);
        return json is null ? null : SweepJson.Deserialize(json);
    }

    /// <summary>
    /// One page of the sweeps list, filtered and sorted in SQL, in one query: each sweep's trial counts by state and
    /// best completed validation accuracy come from a lateral aggregate over its trials (index on sweep_id), and the
    /// total from a window count, so that a page costs the same with 10 sweeps or 10,000.
    /// </summary>
    public async Task<SweepListPage> SearchAsync(SweepListQuery query, CancellationToken ct)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var page = Math.Max(1, query.Page);
        var (where, parameters) = await SweepFeed.ScopeAsync(query, access, ct);
        var me = await access.MemberIdAsync(ct);
        var direction = query.Descending ? "DESC" : "ASC";
        var orderBy = query.Sort switch
        {
            SweepListSort.Name => $"lower(s.name) {direction}, s.id {direction}",
            SweepListSort.BestAccuracy => $"a.best {direction} NULLS LAST, s.created_at DESC, s.id DESC",
            _ => $"s.created_at {direction}, s.id {direction}",
        };
        var sql = $"""
            SELECT s.id, s.name, s.dataset, s.model, s.state, s.created_at,
                   a.queued, a.running, a.completed, a.failed, a.cancelled, a.best,
                   COUNT(*) OVER () AS total, s.is_example, p.slug, p.name, s.created_by
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
            LIMIT @limit OFFSET @offset
            """;
        parameters.Add(new("limit", pageSize));
        parameters.Add(new("offset", (long)(page - 1) * pageSize));

        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        var items = new List<SweepListItem>();
        var total = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(SweepFeed.ReadItem(reader, me));
                total = (int)reader.GetInt64(12);
            }
        }

        return new SweepListPage(items, total, page, pageSize);
    }

    public static IReadOnlyDictionary<string, int> CountStates(IEnumerable<string> states)
    {
        var counts = TrialState.All.ToDictionary(s => s, _ => 0);
        foreach (var state in states)
        {
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }

        return counts;
    }

    /// <summary>A trial row as the API shows it; an expression, so that EF selects only these columns.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<TrialRecord, TrialView>> ViewOf = t => new TrialView(
        t.Id, t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.LrScaling, t.GbnImplementation, t.RunningStats,
        t.State, t.CurrentEpoch, t.TotalEpochs,
        t.Attempt, t.Priority, t.FailureKind, t.Error, t.StartedAt, t.FinishedAt, Metrics(t.Final));

    private static readonly Func<TrialRecord, TrialView> ToView = ViewOf.Compile();

    private static Dictionary<string, double> Metrics(FinalMetrics f)
    {
        var metrics = new Dictionary<string, double>();
        void Add(string key, double? value)
        {
            if (value is { } v)
            {
                metrics[key] = v;
            }
        }

        Add(MetricNames.TrainLoss, f.TrainLoss);
        Add(MetricNames.TrainAccuracy, f.TrainAccuracy);
        Add(MetricNames.ValLoss, f.ValLoss);
        Add(MetricNames.ValAccuracy, f.ValAccuracy);
        Add(MetricNames.GeneralizationGap, f.GeneralizationGap);
        Add(MetricNames.WeightDistance, f.WeightDistance);
        Add(MetricNames.Steps, f.Steps);
        Add(MetricNames.WallSeconds, f.WallSeconds);
        return metrics;
    }
}

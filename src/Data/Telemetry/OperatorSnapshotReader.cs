using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sweep.Data.Telemetry;

/// <summary>
/// Reads the operator gauges' figures in one query, at most once per <see cref="TelemetryOptions.OperatorMetricsSeconds"/>:
/// every gauge of a collection, and every scrape within the interval, shares the cached snapshot, so that a scrape storm
/// cannot hammer the database. A failed read keeps the last snapshot (and logs), so that a scrape still answers.
/// </summary>
public sealed class OperatorSnapshotReader(
    IDbContextFactory<SweepDbContext> contexts,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<OperatorSnapshotReader> logger)
{
    public const string Trials = "trials";

    public const string CompletedLastHour = "completed_last_hour";

    public const string Worker = "worker";

    public const string Deliveries = "webhook_deliveries";

    /// <summary>A slow database must not hold a scrape (or the exporter's collection) for long.</summary>
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();

    private OperatorSnapshot _snapshot = OperatorSnapshot.Empty;

    private DateTimeOffset? _readAt;

    /// <summary>
    /// The cached snapshot, read again when older than the interval. Synchronous because observable gauges' callbacks
    /// are; the lock makes concurrent collections wait for one read instead of each running the query.
    /// </summary>
    public OperatorSnapshot Current()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_readAt is { } at && now - at < TimeSpan.FromSeconds(options.Value.OperatorMetricsSeconds))
            {
                return _snapshot;
            }

            _readAt = now;
            try
            {
                _snapshot = OperatorSnapshot.From(Read());
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                logger.SnapshotFailed(e);
            }

            return _snapshot;
        }
    }

    /// <summary>
    /// Counts by state come from the (state, lease_expires_at) index; the hour's completions scan the completed rows'
    /// finish times only; workers and webhook deliveries are small tables. One round trip for all of it, and one try:
    /// straight on the connection, not through the context's retry policy, so that a scrape answers quickly with the
    /// last figures instead of waiting out the retries.
    /// </summary>
    private List<OperatorRow> Read()
    {
        using var db = contexts.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.CommandTimeout = (int)QueryTimeout.TotalSeconds;
        using var reader = command.ExecuteReader();
        var rows = new List<OperatorRow>();
        while (reader.Read())
        {
            rows.Add(new OperatorRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetDouble(3)));
        }

        return rows;
    }

    private const string Sql =
        $"""
        SELECT '{Trials}' AS kind, state AS name, NULL::text AS state, count(*)::float8 AS value FROM trials GROUP BY state
        UNION ALL
        SELECT '{CompletedLastHour}', '', NULL, count(*)::float8 FROM trials WHERE state = 'completed' AND finished_at > now() - interval '1 hour'
        UNION ALL
        SELECT '{Worker}', name, state, greatest(extract(epoch FROM now() - heartbeat_at), 0)::float8 FROM workers
        UNION ALL
        SELECT '{Deliveries}', state, NULL, count(*)::float8 FROM webhook_deliveries GROUP BY state
        """;
}

using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace Sweep.Data.Queue;

/// <summary>
/// Hangfire lives in Sweep's own database under the <c>hangfire</c> schema. Web (client only) and every worker
/// configure it here, so that they agree on schema and timeouts. See docs/decisions/0003-hangfire-for-long-trials.md.
/// </summary>
public static class HangfireStorage
{
    public const string Schema = "hangfire";

    public static PostgreSqlStorageOptions Options() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,

        // Trials run for hours: the fetched job's visibility slides with Hangfire's own heartbeat instead of
        // expiring after a fixed timeout and being handed to a second worker.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),

        // Plain polling, not LISTEN/NOTIFY long polling: with long polling, Hangfire.PostgreSql's dequeue can block
        // in an untimed wait for a notification while jobs sit in the queue (seen as a worker idle for minutes with
        // trials queued: the browser fixture's reproduce test hung after two trials). One indexed query a second per
        // worker is cheap, and a new trial starts within a second.
        EnableLongPolling = false,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),

        // A worker that starts before PostgreSQL (or during its restart) keeps trying instead of crashing.
        StartupConnectionMaxRetries = 20,
    };

    /// <summary>Sweep's storage over <paramref name="connectionString"/>, for a host's own container (<see cref="HangfireServices"/>).</summary>
    public static JobStorage Create(string connectionString)
    {
        var options = Options();
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>The job serialization that every process writing or reading Sweep's jobs shares.</summary>
    public static IGlobalConfiguration UseSweepSerialization(this IGlobalConfiguration configuration) =>
        configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();

    /// <summary>Serialization and storage as Hangfire's process-wide defaults, for tools with no container (benchmarks).</summary>
    public static IGlobalConfiguration UseSweepStorage(this IGlobalConfiguration configuration, string connectionString) =>
        configuration.UseSweepSerialization().UseStorage(Create(connectionString));

    /// <summary>Creates or upgrades Hangfire's tables; part of the one-step migration.</summary>
    public static void InstallSchema(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, Schema);
    }

    private static readonly Lock RetryFilterGate = new();

    /// <summary>
    /// Sweep's trial rows own retries (attempts, leases, the reaper), so Hangfire must never retry on its own.
    /// Global filters are process-wide: install ours once, replacing Hangfire's default of 10 attempts.
    /// </summary>
    public static void DisableAutomaticRetries()
    {
        lock (RetryFilterGate)
        {
            var filters = GlobalJobFilters.Filters.Select(f => f.Instance).OfType<AutomaticRetryAttribute>().ToList();
            if (filters is [{ Attempts: 0 }])
            {
                return;
            }

            foreach (var filter in filters)
            {
                GlobalJobFilters.Filters.Remove(filter);
            }

            GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail });
        }
    }
}

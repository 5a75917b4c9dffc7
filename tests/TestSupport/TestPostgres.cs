using Npgsql;
using Sweep.Data;
using Sweep.Data.Queue;

namespace Sweep.Testing;

/// <summary>
/// The throwaway PostgreSQL cluster that `./sweep test` starts. Each fixture gets a database of its own, created
/// here (a copy of the run's migrated <see cref="TemplateDatabase"/>) and dropped on dispose, so test classes never
/// see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The server's connection string, from SWEEP_TEST_PG. Without it the tests fail, saying how to run them.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("SWEEP_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("SWEEP_TEST_PG is not set. Run the tests with `./sweep test`, which starts a throwaway PostgreSQL.");

    /// <summary>
    /// A new database: with Sweep's schema (EF migrations and Hangfire's tables) copied from the run's
    /// <see cref="TemplateDatabase"/>, or empty when <paramref name="migrate"/> is false.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var template = migrate ? await TemplateDatabase.EnsureAsync() : null;
        var name = $"sweep_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            var sql = template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"";
            await using var create = new NpgsqlCommand(sql, admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
        return new TestDatabase(name, connectionString);
    }

    /// <summary>A new database on which the real migrations run, as `sweep migrate` runs them: for the migration tests.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        var database = await CreateAsync(migrate: false);
        await SweepDatabase.MigrateAsync(database.ConnectionString);
        HangfireStorage.InstallSchema(database.ConnectionString);
        return database;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

using Npgsql;
using Sweep.Data;
using Sweep.Data.Queue;

namespace Sweep.Testing;

/// <summary>
/// The throwaway PostgreSQL cluster that `./sweep test` starts. Each fixture gets a database of its own, created
/// here and dropped on dispose, so test classes never see each other's rows.
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

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var name = $"sweep_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
        var database = new TestDatabase(name, connectionString);
        if (migrate)
        {
            await SweepDatabase.MigrateAsync(connectionString);
            HangfireStorage.InstallSchema(connectionString);
        }

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

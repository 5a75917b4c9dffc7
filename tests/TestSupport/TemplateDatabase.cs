using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Sweep.Data;
using Sweep.Data.Queue;

namespace Sweep.Testing;

/// <summary>
/// One migrated database per test cluster and build, which every fixture copies with <c>CREATE DATABASE … TEMPLATE</c>
/// instead of running every migration itself (a file copy inside PostgreSQL, a fraction of the migrations' time).
/// <para>
/// The first fixture that needs it builds it, under a PostgreSQL advisory lock, so that test projects running in
/// parallel (separate processes) agree on one template and nobody copies a half-migrated one. It is built under a
/// temporary name and renamed when complete, so a run killed mid-way leaves no template behind. Its name carries a
/// hash of the assemblies that define the schema, so a cluster that outlives a build (tests run against a long-lived
/// server) never hands out a stale schema. Every connection to it is unpooled: PostgreSQL copies a template only while
/// no other session is connected to it.
/// </para>
/// </summary>
internal static class TemplateDatabase
{
    // Any fixed number: pg_advisory_lock's key space is the cluster's; only the test support takes this one.
    private const long LockKey = 0x5357_4545_5054_4D50;

    private static readonly SemaphoreSlim Gate = new(1, 1);

    private static string? _name;

    /// <summary>The template's name, building the template first if this cluster has none for this build yet.</summary>
    public static async Task<string> EnsureAsync()
    {
        if (_name is { } known)
        {
            return known;
        }

        await Gate.WaitAsync();
        try
        {
            if (_name is null)
            {
                var name = NameForThisBuild();
                await BuildUnlessPresentAsync(name);
                _name = name;
            }

            return _name;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task BuildUnlessPresentAsync(string name)
    {
        // Unpooled: a session-level advisory lock must end with this connection, not linger in a pool.
        await using var admin = new NpgsqlConnection(Unpooled(TestDatabase.ServerConnectionString, database: null));
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"SELECT pg_advisory_lock({LockKey})");
        try
        {
            if (await ExistsAsync(admin, name))
            {
                return;
            }

            var building = name + "_partial";
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
            await ExecuteAsync(admin, $"CREATE DATABASE \"{building}\"");
            var connectionString = Unpooled(TestDatabase.ServerConnectionString, building);
            await SweepDatabase.MigrateAsync(connectionString);
            HangfireStorage.InstallSchema(connectionString);
            await ExecuteAsync(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
        }
        finally
        {
            await ExecuteAsync(admin, $"SELECT pg_advisory_unlock({LockKey})");
        }
    }

    /// <summary>sweep_template_ and a hash of the migrations, the model and Hangfire's installer, as built.</summary>
    private static string NameForThisBuild()
    {
        var schema = new[]
        {
            Assembly.Load(SweepDatabase.MigrationsAssembly),
            typeof(SweepDatabase).Assembly,
            typeof(Hangfire.PostgreSql.PostgreSqlObjectsInstaller).Assembly,
        };
        var ids = string.Join(",", schema.Select(a => a.ManifestModule.ModuleVersionId));
        return "sweep_template_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..16];
    }

    private static string Unpooled(string server, string? database)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        if (database is not null)
        {
            builder.Database = database;
        }

        return builder.ConnectionString;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection admin, string name)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", admin);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

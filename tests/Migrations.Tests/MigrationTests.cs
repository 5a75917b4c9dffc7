using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Testing;

namespace Sweep.Migrations.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_create_the_snake_case_schema_and_match_the_model()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await SweepDatabase.MigrateAsync(database.ConnectionString);

        var tables = await ListAsync(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
        Assert.Equal(
            [
                "access_tokens", "data_protection_keys", "ef_migrations_history", "example_imports", "idempotency_keys", "invites", "metric_points",
                "project_members", "projects",
                "role_claims", "roles", "share_links", "sweeps", "trial_attempts", "trial_checkpoints", "trial_log_chunks", "trials", "user_claims", "user_logins",
                "user_roles", "user_tokens", "users", "webhook_deliveries", "webhooks", "workers",
            ],
            tables);

        var trialColumns = await ListAsync(database, "SELECT column_name FROM information_schema.columns WHERE table_name = 'trials'");
        Assert.Contains("ghost_batch_size", trialColumns);
        Assert.Contains("final_val_accuracy", trialColumns);
        Assert.All(trialColumns, c => Assert.Equal(c.ToLowerInvariant(), c));

        await using var db = CreateContext(database.ConnectionString);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The EF model has changes without a migration: run dotnet ef migrations add.");
    }

    [Fact]
    public async Task Migrating_twice_is_harmless()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await SweepDatabase.MigrateAsync(database.ConnectionString);
        await SweepDatabase.MigrateAsync(database.ConnectionString);

        var applied = await database.ScalarAsync<long>("SELECT count(*) FROM ef_migrations_history");
        await using var db = CreateContext(database.ConnectionString);
        Assert.Equal(db.Database.GetMigrations().Count(), (int)applied);
    }

    [Fact]
    public async Task A_grid_cell_can_exist_only_once_per_sweep()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var sweepId = Guid.NewGuid();
        await Execute(connection, $"INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at) VALUES ('{sweepId}', 's', 'fashion-mnist', 'f1', '{{}}', 0, now())");
        var insertTrial = $"INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, current_epoch, total_epochs, created_at) VALUES (gen_random_uuid(), '{sweepId}', 128, 32, 1, 1, 'queued', 0, 0, 1, now())";
        await Execute(connection, insertTrial);

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, insertTrial));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    [Fact]
    public async Task An_idempotency_key_can_exist_only_once_per_scope()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var sweepId = Guid.NewGuid();
        await Execute(connection, $"INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at) VALUES ('{sweepId}', 's', 'fashion-mnist', 'f1', '{{}}', 0, now())");
        string Insert(string scope) => $"INSERT INTO idempotency_keys (scope, key, request_hash, sweep_id, status_code, response, created_at) VALUES ('{scope}', 'k1', 'h', '{sweepId}', 201, '{{}}', now())";
        await Execute(connection, Insert(""));
        await Execute(connection, Insert("user-2"));

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, Insert("")));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    private static SweepDbContext CreateContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, connectionString);
        return new SweepDbContext(options.Options);
    }

    private static async Task<List<string>> ListAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

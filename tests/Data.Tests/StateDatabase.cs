using Npgsql;
using Sweep.Testing;

namespace Sweep.Data.Tests;

/// <summary>
/// A migrated database of its own for one test class, the commands over it, and the few rows the transition
/// tests start from. Rows are set up with plain SQL (the starting state is the test's given, not under test);
/// every change under test goes through a command.
/// </summary>
public sealed class StateDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public TestCommands Commands { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Commands = new TestCommands(Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Commands.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A sweep with one queued trial (and <paramref name="failed"/> more, already failed).</summary>
    public async Task<(Guid Sweep, Guid Trial)> CreateTrialAsync(string sweepState = "active", int maxAttempts = 3, int failed = 0)
    {
        var sweep = Guid.NewGuid();
        var trial = Guid.NewGuid();
        await ExecuteAsync(
            $"""
            INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state, max_attempts)
            VALUES ('{sweep}', 'transitions', 'fashion-mnist', 'f1', '{"{}"}', 0, now(), '{sweepState}', {maxAttempts});
            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, current_epoch, total_epochs, created_at)
            VALUES ('{trial}', '{sweep}', 128, 32, 1, 1, 'queued', 0, 0, 3, now());
            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, current_epoch, total_epochs, created_at, failure_kind, error)
            SELECT gen_random_uuid(), '{sweep}', 128, 32, 1, 1 + s, 'failed', 1, 0, 3, now(), 'error', 'crashed' FROM generate_series(1, {failed}) s;
            """);
        return (sweep, trial);
    }

    /// <summary>Puts a trial in a state directly, as if it got there earlier, holding generation 5 of a lease that has run out.</summary>
    public Task SetTrialAsync(Guid trial, string state) => ExecuteAsync(
        $"""
        UPDATE trials SET state = '{state}', attempt = 1, lease_generation = 5,
               lease_owner = CASE WHEN '{state}' = 'running' THEN 'earlier' END,
               lease_expires_at = CASE WHEN '{state}' = 'running' THEN now() - interval '1 second' END
         WHERE id = '{trial}'
        """);

    /// <summary>Lets time pass for one trial: its lease ran out a second ago.</summary>
    public Task ExpireLeaseAsync(Guid trial) =>
        ExecuteAsync($"UPDATE trials SET lease_expires_at = now() - interval '1 second' WHERE id = '{trial}'");

    public async Task<TrialRow> TrialAsync(Guid trial)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT state, attempt, lease_generation, lease_owner, current_epoch, failure_kind, config::text, environment::text FROM trials WHERE id = '{trial}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"trial {trial} has no row");
        return new TrialRow(
            reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
    }

    public Task<string> SweepStateAsync(Guid sweep) => Database.ScalarAsync<string>($"SELECT state FROM sweeps WHERE id = '{sweep}'");

    public async Task<WorkerRow> WorkerAsync(string name)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT state, paused_by, paused_reason, consecutive_failures FROM workers WHERE name = '{name}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"worker {name} has no row");
        return new WorkerRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3));
    }

    /// <summary>The trial's metric rows as (key, step, value), in order.</summary>
    public async Task<List<(string Key, long Step, double Value)>> MetricsAsync(Guid trial)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT key, step, value FROM metric_points WHERE trial_id = '{trial}' ORDER BY key, step", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, long, double)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

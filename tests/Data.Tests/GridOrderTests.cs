using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;
using Sweep.Testing;

namespace Sweep.Data.Tests;

/// <summary>
/// The one grid order, three ways: translated by EF Core, as raw SQL (<see cref="TrialGridSql"/>), and in memory.
/// Every axis varies, with two values each, and the rows go in shuffled, so that an order that skips an axis, or
/// ranks two in another order, lists some pair of trials the other way round.
/// </summary>
public sealed class GridOrderTests
{
    private static readonly string[] LrScalings = ["linear", "sqrt"];
    private static readonly string[] GbnImplementations = ["accumulate", "vectorized"];
    private static readonly string[] RunningStatsPolicies = ["mean", "sequential"];

    [Fact]
    public async Task Ef_raw_sql_and_memory_list_trials_in_the_same_grid_order_over_all_seven_axes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var sweep = Guid.NewGuid();
        var cells = AllCells().OrderBy(_ => Random.Shared.Next()).ToList();
        await InsertAsync(database.ConnectionString, sweep, cells);

        var expected = cells
            .OrderBy(c => c.BatchSize).ThenBy(c => c.GhostBatchSize).ThenBy(c => c.RegimeMultiplier).ThenBy(c => c.Seed)
            .ThenBy(c => c.LrScaling, StringComparer.Ordinal).ThenBy(c => c.GbnImplementation, StringComparer.Ordinal)
            .ThenBy(c => c.RunningStats, StringComparer.Ordinal)
            .Select(c => c.Id).ToList();

        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, database.ConnectionString);
        await using var db = new SweepDbContext(options.Options);
        var byEf = await db.Trials.AsNoTracking().Where(t => t.SweepId == sweep).OrderByGrid().Select(t => t.Id).ToListAsync();
        var stored = await db.Trials.AsNoTracking().Where(t => t.SweepId == sweep).ToListAsync();
        var inMemory = stored.OrderBy(_ => Random.Shared.Next()).OrderByGrid().Select(t => t.Id).ToList();
        var bySql = await RawSqlOrderAsync(database.ConnectionString, sweep);

        Assert.Equal(128, expected.Count);
        Assert.Equal(expected, byEf);
        Assert.Equal(expected, bySql);
        Assert.Equal(expected, inMemory);
    }

    private static IEnumerable<Cell> AllCells() =>
        from batch in new[] { 128, 4096 }
        from ghost in new[] { 32, 128 }
        from regime in new[] { 1.0, 2.5 }
        from seed in new[] { 1, 2 }
        from lr in LrScalings
        from gbn in GbnImplementations
        from stats in RunningStatsPolicies
        select new Cell(Guid.NewGuid(), batch, ghost, regime, seed, lr, gbn, stats);

    private static async Task InsertAsync(string connectionString, Guid sweep, IReadOnlyList<Cell> cells)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand(
            $"""
            INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state, max_attempts)
            VALUES ('{sweep}', 'grid order', 'fashion-mnist', 'f1', '{"{}"}', 0, now(), 'active', 3)
            """, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        foreach (var c in cells)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, lr_scaling,
                                    gbn_implementation, running_stats, state, attempt, current_epoch, total_epochs, created_at)
                VALUES (@id, @sweep, @batch, @ghost, @regime, @seed, @lr, @gbn, @stats, 'queued', 0, 0, 3, now())
                """, connection);
            command.Parameters.AddWithValue("id", c.Id);
            command.Parameters.AddWithValue("sweep", sweep);
            command.Parameters.AddWithValue("batch", c.BatchSize);
            command.Parameters.AddWithValue("ghost", c.GhostBatchSize);
            command.Parameters.AddWithValue("regime", c.RegimeMultiplier);
            command.Parameters.AddWithValue("seed", c.Seed);
            command.Parameters.AddWithValue("lr", c.LrScaling);
            command.Parameters.AddWithValue("gbn", c.GbnImplementation);
            command.Parameters.AddWithValue("stats", c.RunningStats);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<Guid>> RawSqlOrderAsync(string connectionString, Guid sweep)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT t.id FROM trials t WHERE t.sweep_id = @sweep ORDER BY {TrialGridSql.Order}", connection);
        command.Parameters.AddWithValue("sweep", sweep);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private sealed record Cell(Guid Id, int BatchSize, int GhostBatchSize, double RegimeMultiplier, int Seed,
        string LrScaling, string GbnImplementation, string RunningStats);
}

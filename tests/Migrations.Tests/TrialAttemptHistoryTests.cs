using Npgsql;
using Sweep.Testing;

namespace Sweep.Migrations.Tests;

/// <summary>
/// The attempt history the trigger on trials writes (migration TrialAttemptsAndShareLinkNames), driven by the same
/// statements the worker and the web run: a trial that fails, is retried and completes has two attempts, each with
/// its worker, its own start and end, and how it ended.
/// </summary>
public sealed class TrialAttemptHistoryTests
{
    // The worker's statements (src/Jobs/Worker/TrialStore.cs) and the web's retry (src/Web/Sweeps/SweepControl.cs),
    // with RETURNING now(): the transaction's time, which is also what the trigger writes.
    private const string Claim = """
        UPDATE trials
           SET state = 'running', lease_owner = @owner, lease_expires_at = now() + make_interval(secs => 60),
               attempt = attempt + 1, started_at = coalesce(started_at, now()), error = NULL
         WHERE id = @id
           AND (state = 'queued' OR (state = 'running' AND lease_expires_at < now()))
           AND EXISTS (SELECT 1 FROM sweeps s WHERE s.id = trials.sweep_id AND s.state = 'active')
        RETURNING now()
        """;

    private const string Fail = """
        UPDATE trials SET state = 'failed', failure_kind = 'out-of-memory', error = E'CUDA out of memory\nat the second line',
               finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
         WHERE id = @id AND lease_owner = @owner AND state = 'running'
        RETURNING now()
        """;

    private const string Requeue = """
        UPDATE trials SET state = 'queued', attempt = 0, error = NULL, failure_kind = NULL, finished_at = NULL, started_at = NULL,
               lease_owner = NULL, lease_expires_at = NULL
         WHERE id = @id AND state = ANY(ARRAY['failed', 'cancelled'])
        RETURNING now()
        """;

    private const string Complete = """
        UPDATE trials SET state = 'completed', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
         WHERE id = @id AND lease_owner = @owner AND state = 'running'
        RETURNING now()
        """;

    [Fact]
    public async Task Claim_fail_requeue_claim_complete_records_two_attempts_with_their_workers_times_and_outcomes()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var trial = await CreateTrialAsync(connection);

        var firstClaim = await StepAsync(connection, Claim, trial, "worker-a:1");
        var failed = await StepAsync(connection, Fail, trial, "worker-a:1");
        var requeued = await StepAsync(connection, Requeue, trial, null);
        var secondClaim = await StepAsync(connection, Claim, trial, "worker-b:2");
        var running = await AttemptsAsync(connection, trial);
        var completed = await StepAsync(connection, Complete, trial, "worker-b:2");

        // While the second attempt runs, it has no end and no outcome yet.
        Assert.Equal(2, running.Count);
        Assert.Null(running[1].EndedAt);
        Assert.Null(running[1].Outcome);

        var attempts = await AttemptsAsync(connection, trial);
        Assert.Equal(2, attempts.Count);

        var first = attempts[0];
        Assert.Equal((1, "worker-a:1", "failed", "out-of-memory", "CUDA out of memory"), (first.Number, first.Worker, first.Outcome, first.FailureKind, first.Error));
        Assert.Equal(firstClaim, first.StartedAt);
        Assert.Equal(failed, first.EndedAt);

        var second = attempts[1];
        Assert.Equal((2, "worker-b:2", "completed"), (second.Number, second.Worker, second.Outcome));
        Assert.Null(second.FailureKind);
        Assert.Null(second.Error);
        Assert.Equal(secondClaim, second.StartedAt);
        Assert.Equal(completed, second.EndedAt);

        // The requeue itself starts nothing and ends nothing; the attempts do not overlap.
        Assert.True(first.EndedAt < requeued && requeued < second.StartedAt);

        // The trial's own counter is the lost-lease budget: the retry restarted it, the history kept counting.
        await using var counter = new NpgsqlCommand($"SELECT attempt FROM trials WHERE id = '{trial}'", connection);
        Assert.Equal(1, (int)(await counter.ExecuteScalarAsync())!);
    }

    private static async Task<Guid> CreateTrialAsync(NpgsqlConnection connection)
    {
        var sweep = Guid.NewGuid();
        var trial = Guid.NewGuid();
        await using var command = new NpgsqlCommand(
            $$"""
            INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state)
            VALUES ('{{sweep}}', 's', 'fashion-mnist', 'f1', '{}', 0, now(), 'active');
            INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, current_epoch, total_epochs, created_at)
            VALUES ('{{trial}}', '{{sweep}}', 128, 32, 1, 1, 'queued', 0, 0, 1, now());
            """,
            connection);
        await command.ExecuteNonQueryAsync();
        return trial;
    }

    /// <summary>Runs one statement in its own transaction and returns that transaction's time (now()).</summary>
    private static async Task<DateTimeOffset> StepAsync(NpgsqlConnection connection, string sql, Guid trial, string? owner)
    {
        // Distinct transaction times, so that the order of the steps shows in their timestamps.
        await Task.Delay(20);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", trial);
        if (owner is not null)
        {
            command.Parameters.AddWithValue("owner", owner);
        }

        var utc = Assert.IsType<DateTime>(await command.ExecuteScalarAsync());
        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
    }

    private static async Task<List<Attempt>> AttemptsAsync(NpgsqlConnection connection, Guid trial)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT number, worker, started_at, ended_at, outcome, failure_kind, error FROM trial_attempts WHERE trial_id = '{trial}' ORDER BY number",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var attempts = new List<Attempt>();
        while (await reader.ReadAsync())
        {
            attempts.Add(new Attempt(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return attempts;
    }

    private sealed record Attempt(int Number, string Worker, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Outcome, string? FailureKind, string? Error);
}

using Npgsql;
using Sweep.Testing;

namespace Sweep.Migrations.Tests;

/// <summary>
/// The attempt history the trigger on trials writes (migration TrialAttemptsAndShareLinkNames), driven by the
/// commands the worker and the web run (src/Data/Commands): a trial that fails, is retried and completes has two
/// attempts, each with its worker, its own start and end, and how it ended.
/// </summary>
public sealed class TrialAttemptHistoryTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Claim_fail_requeue_claim_complete_records_two_attempts_with_their_workers_times_and_outcomes()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var commands = new TestCommands(database.ConnectionString);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var trial = await CreateTrialAsync(connection);
        var none = CancellationToken.None;

        // Each step's time is the one its command wrote on the trial row: its transaction's now(), which the trigger also writes.
        var first = await StepAsync(() => commands.Trials.ClaimAsync(trial, "worker-a:1", Lease, none));
        var firstClaim = await TimeAsync(connection, "started_at", trial);
        await StepAsync(() => commands.Trials.FailAsync(first!, "out-of-memory", "CUDA out of memory\nat the second line", none));
        var failed = await TimeAsync(connection, "finished_at", trial);
        Assert.True(await StepAsync(() => commands.Trials.RetryAsync(trial, fresh: false, none)));
        var requeued = await TimeAsync(connection, "now()", trial);
        var second = await StepAsync(() => commands.Trials.ClaimAsync(trial, "worker-b:2", Lease, none));
        var secondClaim = await TimeAsync(connection, "started_at", trial);
        var running = await AttemptsAsync(connection, trial);
        Assert.True(await StepAsync(() => commands.Trials.CompleteAsync(second!, 1, new Dictionary<string, double>(), none)));
        var completed = await TimeAsync(connection, "finished_at", trial);

        // While the second attempt runs, it has no end and no outcome yet.
        Assert.Equal(2, running.Count);
        Assert.Null(running[1].EndedAt);
        Assert.Null(running[1].Outcome);

        var attempts = await AttemptsAsync(connection, trial);
        Assert.Equal(2, attempts.Count);

        var firstAttempt = attempts[0];
        Assert.Equal((1, "worker-a:1", "failed", "out-of-memory", "CUDA out of memory"), (firstAttempt.Number, firstAttempt.Worker, firstAttempt.Outcome, firstAttempt.FailureKind, firstAttempt.Error));
        Assert.Equal(firstClaim, firstAttempt.StartedAt);
        Assert.Equal(failed, firstAttempt.EndedAt);

        var secondAttempt = attempts[1];
        Assert.Equal((2, "worker-b:2", "completed"), (secondAttempt.Number, secondAttempt.Worker, secondAttempt.Outcome));
        Assert.Null(secondAttempt.FailureKind);
        Assert.Null(secondAttempt.Error);
        Assert.Equal(secondClaim, secondAttempt.StartedAt);
        Assert.Equal(completed, secondAttempt.EndedAt);

        // The requeue itself starts nothing and ends nothing; the attempts do not overlap.
        Assert.True(firstAttempt.EndedAt < requeued && requeued < secondAttempt.StartedAt);

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

    /// <summary>Runs one command (its own transaction), after a pause, so that the order of the steps shows in their timestamps.</summary>
    private static async Task<T> StepAsync<T>(Func<Task<T>> command)
    {
        await Task.Delay(20);
        return await command();
    }

    /// <summary>A time the trial row holds (or, for <c>now()</c>, the time right after the last step).</summary>
    private static async Task<DateTimeOffset> TimeAsync(NpgsqlConnection connection, string column, Guid trial)
    {
        await using var command = new NpgsqlCommand($"SELECT {column} FROM trials WHERE id = '{trial}'", connection);
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

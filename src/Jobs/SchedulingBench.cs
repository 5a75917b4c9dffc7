using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Data.Queue;
using Sweep.Domain.Sweeps;

namespace Sweep.Jobs;

/// <summary>
/// <c>bench scheduling [--trials N] [--workers 1,2,4]</c>, against the database in ConnectionStrings__Sweep: the
/// overhead Sweep adds per trial with a no-op trainer. Workers start and register first; the clock runs from the
/// first enqueue to the last completed trial, so it covers claim, spawn, event streaming and storing. A figure
/// counts only if every trial completed on its first attempt; anything else (a failed, cancelled or retried
/// trial, a worker that exited, no end in sight) ends the benchmark with an error and exit code 1.
/// </summary>
public static class SchedulingBench
{
    /// <summary>How long one row may take: 40 no-op trials take seconds, so this only catches a stall.</summary>
    private static readonly TimeSpan RowTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await MeasureAsync(args);
        }
        catch (BenchFailed failed)
        {
            Console.Error.WriteLine($"bench scheduling: {failed.Message}");
            return 1;
        }
    }

    private static async Task<int> MeasureAsync(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Sweep");
        if (string.IsNullOrEmpty(connectionString))
        {
            Console.Error.WriteLine("Set ConnectionStrings__Sweep to a scratch database (./sweep bench does).");
            return 64;
        }

        var trials = int.Parse(Option(args, "--trials") ?? "40", CultureInfo.InvariantCulture);
        var workerCounts = (Option(args, "--workers") ?? "1,2,4").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList();
        await SweepDatabase.MigrateAsync(connectionString);
        HangfireStorage.InstallSchema(connectionString);
        GlobalConfiguration.Configuration.UseSweepStorage(connectionString);
        var jobs = new BackgroundJobClient();

        Console.WriteLine("| workers | trials | wall s | trials/s | ms per trial per worker |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var count in workerCounts)
        {
            var workers = Enumerable.Range(1, count).Select(i => StartWorker(connectionString, $"bench-{count}-{i}")).ToList();
            try
            {
                await WaitForWorkersAsync(connectionString, count, workers);
                var sweepId = await SeedAsync(connectionString, trials);
                var clock = Stopwatch.StartNew();
                foreach (var id in await TrialIdsAsync(connectionString, sweepId))
                {
                    jobs.Enqueue(id, "default", 0);
                }

                await WaitForCompletedAsync(connectionString, sweepId, trials, workers);
                var seconds = clock.Elapsed.TotalSeconds;
                await RequireFirstAttemptsAsync(connectionString, sweepId);
                Console.WriteLine($"| {count} | {trials} | {seconds:F2} | {trials / seconds:F2} | {seconds * 1000 * count / trials:F0} |");
            }
            finally
            {
                foreach (var worker in workers)
                {
                    worker.Kill(entireProcessTree: true);
                    worker.WaitForExit();
                }
            }
        }

        return 0;
    }

    private static Process StartWorker(string connectionString, string name)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            info.ArgumentList.Add(typeof(SchedulingBench).Assembly.Location);
        }

        info.ArgumentList.Add("worker");
        info.Environment["ConnectionStrings__Sweep"] = connectionString;
        info.Environment["Worker__Name"] = name;
        info.Environment["Worker__NoopTrainer"] = "true";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForWorkersAsync(string connectionString, int count, IReadOnlyList<Process> workers)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            RequireAlive(workers);
            if (clock.Elapsed > RowTimeout)
            {
                throw new BenchFailed($"the {count} worker(s) did not register within {RowTimeout.TotalMinutes:F0} minutes");
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM workers WHERE state = 'active' AND name LIKE 'bench-{count}-%'", connection);
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                await Task.Delay(1000);
                return;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<Guid> SeedAsync(string connectionString, int trials)
    {
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, connectionString);
        await using var db = new SweepDbContext(options.Options);
        var spec = new SweepSpec
        {
            Name = "bench",
            Grid = new GridSpec { BatchSize = [128], GhostBatchSize = [128] },
            Training = new TrainingSpec { Epochs = 2, LrDropEpochs = [], Seeds = Enumerable.Range(1, trials).ToList() },
        };
        var sweep = new Data.Entities.SweepRecord { Id = Guid.CreateVersion7(), Name = "bench", Dataset = "fashion-mnist", Model = "f1", Spec = SweepJson.Serialize(spec), CreatedAt = DateTimeOffset.UtcNow };
        sweep.Trials = Enumerable.Range(1, trials).Select(seed => new Data.Entities.TrialRecord
        {
            Id = Guid.CreateVersion7(), SweepId = sweep.Id, BatchSize = 128, GhostBatchSize = 128, RegimeMultiplier = 1, Seed = seed,
            State = TrialState.Queued, TotalEpochs = 2, CreatedAt = DateTimeOffset.UtcNow,
        }).ToList();
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync();
        return sweep.Id;
    }

    private static async Task<List<Guid>> TrialIdsAsync(string connectionString, Guid sweepId)
    {
        var options = new DbContextOptionsBuilder<SweepDbContext>();
        SweepDatabase.Configure(options, connectionString);
        await using var db = new SweepDbContext(options.Options);
        return await db.Trials.Where(t => t.SweepId == sweepId).Select(t => t.Id).ToListAsync();
    }

    /// <summary>Returns once all <paramref name="trials"/> completed; throws as soon as one cannot.</summary>
    private static async Task WaitForCompletedAsync(string connectionString, Guid sweepId, int trials, IReadOnlyList<Process> workers)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (completed, ended) = await CountEndedAsync(connectionString, sweepId);
            if (completed == trials)
            {
                return;
            }

            if (ended > completed)
            {
                throw new BenchFailed($"{ended - completed} of {trials} trials failed or were cancelled (trials.error says why)");
            }

            RequireAlive(workers);
            if (clock.Elapsed > RowTimeout)
            {
                throw new BenchFailed($"{completed} of {trials} trials completed within {RowTimeout.TotalMinutes:F0} minutes");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The trials completed, and those that ended in any way (completed, failed or cancelled).</summary>
    private static async Task<(long Completed, long Ended)> CountEndedAsync(string connectionString, Guid sweepId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE state = 'completed'), count(*) FILTER (WHERE state IN ('completed', 'failed', 'cancelled')) FROM trials WHERE sweep_id = @id",
            connection);
        command.Parameters.AddWithValue("id", sweepId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>A retried trial ran twice: its time is not one trial's overhead, so the row would mislead.</summary>
    private static async Task RequireFirstAttemptsAsync(string connectionString, Guid sweepId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM trials WHERE sweep_id = @id AND attempt > 1", connection);
        command.Parameters.AddWithValue("id", sweepId);
        var retried = (long)(await command.ExecuteScalarAsync())!;
        if (retried > 0)
        {
            throw new BenchFailed($"{retried} trial(s) completed only on a retry");
        }
    }

    private static void RequireAlive(IReadOnlyList<Process> workers)
    {
        if (workers.FirstOrDefault(w => w.HasExited) is { } exited)
        {
            throw new BenchFailed($"a worker exited with code {exited.ExitCode}");
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class BenchFailed(string message) : Exception(message);
}

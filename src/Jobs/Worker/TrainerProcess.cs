using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Runs the trainer as a child process (this program's <c>train</c> verb), so that a crash or an out-of-memory in
/// libtorch never takes the worker down, and the device's memory is returned when the trial ends. Whatever happens
/// (an event that cannot be stored, an abort, a stall), the trainer's process tree is gone and reaped when
/// <see cref="RunAsync"/> returns or throws: no trainer outlives its attempt.
/// </summary>
public sealed class TrainerProcess(IOptions<WorkerOptions> options, ILogger<TrainerProcess> logger)
{
    private const string Prlimit = "/usr/bin/prlimit";

    private const int StderrLines = 40;

    /// <param name="abort">Kill the trainer now (the lease is gone).</param>
    /// <param name="drain">Ask it to checkpoint its current epoch and stop (SIGTERM); kill it after the grace period.</param>
    /// <param name="output">Gets every line of the trainer's stdout and stderr, events included (the live log).</param>
    public async Task<TrainerExit> RunAsync(TrainerConfig config, Func<TrainEvent, Task> onEvent, CancellationToken abort, CancellationToken drain, TrialLogWriter? output = null)
    {
        if (options.Value is { NoopTrainer: true, NoopInProcess: true })
        {
            return await RunNoopInProcessAsync(config, onEvent);
        }

        var configPath = Path.Combine(Path.GetTempPath(), $"sweep-trial-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, TrainEventJson.Options), CancellationToken.None);
        try
        {
            using var process = new Process { StartInfo = StartInfo(configPath) };
            var stderr = new Queue<string>();
            process.ErrorDataReceived += (_, e) => Capture(stderr, e.Data, output);
            process.Start();
            process.BeginErrorReadLine();

            using var kill = new CancellationTokenSource();
            await using var onKill = kill.Token.Register(() => KillTree(process));
            await using var onAbort = abort.Register(kill.Cancel);
            await using var onDrain = drain.Register(() => Drain(process, kill));
            var watchdog = new StallWatchdog(options.Value);
            using var watching = new CancellationTokenSource();
            var watch = WatchAsync(watchdog, kill, watching.Token);
            string? stalled;
            try
            {
                await ReadEventsAsync(process, watchdog, onEvent, output);
            }
            catch
            {
                // The event could not be stored: stop the trainer and reap it before the caller records anything.
                await kill.CancelAsync();
                await process.WaitForExitAsync(CancellationToken.None);
                throw;
            }
            finally
            {
                await watching.CancelAsync();
                stalled = await watch;
            }

            await process.WaitForExitAsync(CancellationToken.None);
            lock (stderr)
            {
                return new TrainerExit(process.ExitCode, string.Join('\n', stderr), stalled);
            }
        }
        finally
        {
            File.Delete(configPath);
        }
    }

    private async Task ReadEventsAsync(Process process, StallWatchdog watchdog, Func<TrainEvent, Task> onEvent, TrialLogWriter? output)
    {
        while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
        {
            output?.Write(TrialLogWriter.Stdout, line);
            if (TryParse(line) is { } e)
            {
                watchdog.Heard(e);
                await onEvent(e);
                watchdog.Listening();
            }
            else if (line.Length > 0)
            {
                logger.TrainerSaid(line);
            }
        }
    }

    /// <summary>Kills the trainer when it goes silent for too long; returns why, or null once the attempt ends.</summary>
    private static async Task<string?> WatchAsync(StallWatchdog watchdog, CancellationTokenSource kill, CancellationToken done)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                if (watchdog.Check() is { } stalled)
                {
                    await kill.CancelAsync();
                    return stalled;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The trainer ended.
        }

        return null;
    }

    private void Drain(Process process, CancellationTokenSource kill)
    {
        var grace = TimeSpan.FromSeconds(options.Value.DrainGraceSeconds);
        if (!HasExited(process) && ProcessSignal.Terminate(process.Id))
        {
            logger.TrainerDrainRequested(process.Id, grace.TotalSeconds);
            kill.CancelAfter(grace);
        }
        else
        {
            kill.Cancel();
        }
    }

    private void Capture(Queue<string> stderr, string? line, TrialLogWriter? output)
    {
        if (line is null)
        {
            return;
        }

        output?.Write(TrialLogWriter.Stderr, line);
        lock (stderr)
        {
            stderr.Enqueue(line);
            while (stderr.Count > StderrLines)
            {
                stderr.Dequeue();
            }
        }

        logger.TrainerStderr(line);
    }

    /// <summary>
    /// The same program, started with the train verb: the apphost if there is one, else dotnet + dll; under prlimit
    /// when the worker caps trainer memory.
    /// </summary>
    private ProcessStartInfo StartInfo(string configPath)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.Value.TrainerMemoryLimitMb is { } limitMb && File.Exists(Prlimit))
        {
            info.FileName = Prlimit;
            info.ArgumentList.Add($"--data={(long)limitMb << 20}");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(host);
        }
        else
        {
            info.FileName = host;
        }

        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        info.ArgumentList.Add("train");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        if (options.Value.NoopTrainer)
        {
            info.ArgumentList.Add("--noop");
        }
        return info;
    }

    /// <summary>The no-op trainer's events, made here instead of in a child (a testing aid: WorkerOptions.NoopInProcess).</summary>
    private static async Task<TrainerExit> RunNoopInProcessAsync(TrainerConfig config, Func<TrainEvent, Task> onEvent)
    {
        var events = new CollectingSink();
        TrainCommand.ReportWithoutTraining(config, events);
        foreach (var e in events.Events)
        {
            await onEvent(e);
        }

        return new TrainerExit(0, "");
    }

    private sealed class CollectingSink : ITrainEventSink
    {
        public List<TrainEvent> Events { get; } = [];

        public void Write(TrainEvent e) => Events.Add(e);
    }

    private static TrainEvent? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return TrainEventJson.Deserialize(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (Exception ex)
        {
            logger.TrainerKillFailed(ex, process.Id);
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

public sealed record TrainerExit(int ExitCode, string StderrTail);

/// <summary>
/// Runs the trainer as a child process (this program's <c>train</c> verb), so that a crash or an out-of-memory in
/// libtorch never takes the worker down, and the device's memory is returned when the trial ends.
/// </summary>
public sealed class TrainerProcess(IOptions<WorkerOptions> options, ILogger<TrainerProcess> logger)
{
    private const string Prlimit = "/usr/bin/prlimit";

    private const int StderrLines = 40;

    public async Task<TrainerExit> RunAsync(TrainerConfig config, Func<TrainEvent, Task> onEvent, CancellationToken ct)
    {
        if (options.Value is { NoopTrainer: true, NoopInProcess: true })
        {
            return await RunNoopInProcessAsync(config, onEvent);
        }

        var configPath = Path.Combine(Path.GetTempPath(), $"sweep-trial-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, TrainEventJson.Options), ct);
        try
        {
            using var process = new Process { StartInfo = StartInfo(configPath) };
            var stderr = new Queue<string>();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (stderr)
                {
                    stderr.Enqueue(e.Data);
                    while (stderr.Count > StderrLines)
                    {
                        stderr.Dequeue();
                    }
                }

                logger.LogDebug("trainer: {Line}", e.Data);
            };

            process.Start();
            process.BeginErrorReadLine();
            await using var kill = ct.Register(() => Kill(process));
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (TryParse(line) is { } e)
                {
                    await onEvent(e);
                }
                else if (line.Length > 0)
                {
                    logger.LogInformation("trainer: {Line}", line);
                }
            }

            await process.WaitForExitAsync(CancellationToken.None);
            string tail;
            lock (stderr)
            {
                tail = string.Join('\n', stderr);
            }

            return new TrainerExit(process.ExitCode, tail);
        }
        finally
        {
            File.Delete(configPath);
        }
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

    private void Kill(Process process)
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
            logger.LogWarning(ex, "Could not kill trainer process {Pid}", process.Id);
        }
    }
}

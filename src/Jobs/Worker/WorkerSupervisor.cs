using System.Reflection;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Domain.Sweeps;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Runs this worker's Hangfire server and keeps its registry row current. The server is started and stopped here,
/// not by Hangfire's hosted service, so that a worker paused (by itself after repeated failures, or through the API)
/// stops taking trials and starts again when resumed. Every few beats it also runs the lease reaper, and
/// every QueueSweepSeconds the queue sweep (queued trials that lost their job).
/// </summary>
public sealed class WorkerSupervisor(
    IOptions<WorkerOptions> options,
    WorkerRegistry registry,
    WorkerStatus status,
    TrialReaper reaper,
    QueueSweeper sweeper,
    JobStorage storage,
    JobActivator activator,
    ILogger<WorkerSupervisor> logger) : BackgroundService
{
    private readonly WorkerOptions _worker = options.Value;
    private BackgroundJobServer? _server;

    public static string Version { get; } =
        typeof(WorkerSupervisor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registered = WorkerState.Active;
        await Retry(async ct => registered = await registry.RegisterAsync(_worker.Name, _worker.Device, string.Join(',', _worker.EffectiveQueues), Version, ct), stoppingToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.WorkerListening(_worker.Name, _worker.Device, string.Join(", ", _worker.EffectiveQueues));
        }

        // An administrator's pause outlives a restart: take no trial until it is lifted.
        status.Paused = registered == WorkerState.Paused;
        if (status.Paused)
        {
            logger.WorkerStartsPaused(_worker.Name);
        }
        else
        {
            StartServer();
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_worker.RegistrySeconds));
        var beat = 0;
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                var state = await registry.HeartbeatAsync(_worker.Name, status.CurrentTrial, stoppingToken);
                HealthCommand.Beat();
                status.Paused = state == WorkerState.Paused;
                if (status.Paused && _server is not null && status.CurrentTrial is null)
                {
                    logger.WorkerPaused(_worker.Name);
                    StopServer();
                }
                else if (!status.Paused && _server is null)
                {
                    logger.WorkerResumed(_worker.Name);
                    StartServer();
                }

                if (beat++ % 3 == 0)
                {
                    await reaper.ReapAsync(stoppingToken);
                }

                await sweeper.SweepIfDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be restarting: keep the server running and try again on the next beat.
                logger.WorkerReportFailed(_worker.Name, ex.Message);
            }
        }

        StopServer();
        try
        {
            await registry.MarkStoppedAsync(_worker.Name, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.WorkerStopNotRecorded(_worker.Name, ex.Message);
        }
    }

    private void StartServer() => _server = new BackgroundJobServer(
        new BackgroundJobServerOptions
        {
            ServerName = _worker.Name,
            Queues = _worker.EffectiveQueues,

            // One trial at a time per device: a second trainer would fight the first for memory and cores.
            WorkerCount = 1,
            ShutdownTimeout = _worker.JobShutdownTimeout,
            Activator = activator,
        },
        storage);

    private void StopServer()
    {
        _server?.Dispose();
        _server = null;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task Retry(Func<CancellationToken, Task> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 60)
            {
                logger.DatabaseUnreachable(_worker.Name, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), ct);
            }
        }
    }
}

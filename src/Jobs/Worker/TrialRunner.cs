using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Data.Queue;
using Sweep.Domain.Execution;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

/// <summary>
/// The Hangfire job. It takes only a trial id and may run twice: the atomic claim lets one run through and turns
/// every other into a no-op. The trial row, not Hangfire, records the outcome.
/// </summary>
public sealed class TrialRunner(
    TrialStore store,
    TrainerProcess trainer,
    WorkerRegistry registry,
    WorkerStatus status,
    IBackgroundJobClient jobs,
    IOptions<WorkerOptions> options,
    ILogger<TrialRunner> logger) : ITrialRunner
{
    private readonly WorkerOptions _worker = options.Value;

    public async Task RunAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var owner = _worker.Name;
        if (status.Paused)
        {
            // A paused worker may still fetch a job before its server stops: give the trial to another worker.
            if (await store.QueueOfAsync(trialId, cancellationToken) is { } queue)
            {
                jobs.Enqueue(trialId, queue.Queue, queue.Priority);
            }

            return;
        }

        var lease = TimeSpan.FromSeconds(_worker.LeaseSeconds);
        if (!await store.TryClaimAsync(trialId, owner, lease, cancellationToken))
        {
            logger.LogInformation("Trial {TrialId} is not claimable (done, running elsewhere, or its sweep is paused); skipping.", trialId);
            return;
        }

        logger.LogInformation("Worker {Worker} claimed trial {TrialId}.", owner, trialId);
        status.CurrentTrial = trialId;
        try
        {
            var failed = await TrainAsync(trialId, owner, lease, cancellationToken);
            await CountOutcomeAsync(failed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Worker shutdown: hand the trial back so that it runs again, here after a restart or on another worker.
            await store.ReleaseAsync(trialId, owner, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Trial {TrialId} failed in the worker.", trialId);
            await store.FailAsync(trialId, owner, "error", ex.Message, CancellationToken.None);
            await CountOutcomeAsync(failed: true);
        }
        finally
        {
            status.CurrentTrial = null;
        }
    }

    /// <summary>
    /// Errors and out-of-memory count against the worker (a broken device fails everything); a diverged trial is
    /// the trial's own outcome. After K worker failures in a row the worker pauses itself and says why.
    /// </summary>
    private async Task CountOutcomeAsync(bool failed)
    {
        var inARow = await registry.RecordOutcomeAsync(_worker.Name, failed, CancellationToken.None);
        if (failed && inARow >= _worker.MaxConsecutiveFailures)
        {
            status.Paused = true;
            var reason = $"{inARow} trials in a row failed on this worker; paused so as not to burn the queue. Check the device and the worker log, then resume it.";
            await registry.PauseAsync(_worker.Name, reason, CancellationToken.None);
            logger.LogError("Worker {Worker} paused itself: {Reason}", _worker.Name, reason);
        }
    }

    /// <summary>Trains the claimed trial; true when it failed in a way that counts against the worker.</summary>
    private async Task<bool> TrainAsync(Guid trialId, string owner, TimeSpan lease, CancellationToken shutdown)
    {
        // Read right after the claim, the row holds this claim's lease generation: the checkpoint write's fence.
        var (trial, spec) = await store.LoadAsync(trialId, shutdown);
        var (config, plan) = TrainerConfigFactory.Create(trial, spec, _worker);
        await store.SaveConfigAsync(trialId, owner, JsonSerializer.Serialize(config, TrainEventJson.Options), plan.Epochs, shutdown);

        // Resume from the last completed epoch if an earlier attempt (here or on another host) left a checkpoint.
        using var files = new TrialFiles(trialId);
        if (await store.LoadCheckpointAsync(trialId, files.Resume, shutdown) is { } checkpoint)
        {
            config = config with { ResumeFrom = files.Resume };
            logger.LogInformation("Trial {TrialId} resumes after epoch {Epoch}.", trialId, checkpoint.Epoch);
        }

        config = config with { CheckpointPath = files.Checkpoint };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var lostLease = false;
        var heartbeat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_worker.HeartbeatSeconds));
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    if (!await store.HeartbeatAsync(trialId, owner, lease, stop.Token))
                    {
                        lostLease = true;
                        await stop.CancelAsync();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is away (restarting, network): keep training; the lease has slack for this.
                    logger.LogWarning("Trial {TrialId}: lease renewal failed ({Message}); retrying.", trialId, ex.Message);
                }
            }
        }, CancellationToken.None);

        FailedEvent? failure = null;
        CompletedEvent? completed = null;
        TrainerExit exit;
        try
        {
            exit = await trainer.RunAsync(config, e => DatabaseRetry.RunAsync(() => RecordAsync(e), logger, stop.Token), stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        async Task RecordAsync(TrainEvent e)
        {
            switch (e)
            {
                case StartedEvent started:
                    await store.SaveEnvironmentAsync(trialId, owner, started.Environment, CancellationToken.None);
                    break;
                case EpochEvent epoch:
                    await store.RecordMetricsAsync(trialId, owner, epoch.Epoch, epoch.Step, epoch.Metrics, updateLatest: true, CancellationToken.None);
                    break;
                case DistanceEvent distance:
                    await store.RecordMetricsAsync(trialId, owner, distance.Epoch, distance.Step, new Dictionary<string, double> { ["weightDistance"] = distance.Value }, updateLatest: false, CancellationToken.None);
                    break;
                case CheckpointEvent saved:
                    await store.SaveCheckpointAsync(trialId, owner, trial.LeaseGeneration, saved.Epoch, saved.Step, saved.Path, CancellationToken.None);
                    break;
                case CompletedEvent done:
                    completed = done;
                    break;
                case FailedEvent failed:
                    failure = failed;
                    break;
            }
        }

        shutdown.ThrowIfCancellationRequested();
        if (lostLease)
        {
            logger.LogWarning("Trial {TrialId} was taken from worker {Worker} (cancelled or re-leased); trainer stopped.", trialId, owner);
            return false;
        }

        if (completed is not null && exit.ExitCode == 0)
        {
            await DatabaseRetry.RunAsync(() => store.CompleteAsync(trialId, owner, completed.Epoch, completed.Metrics, CancellationToken.None), logger, CancellationToken.None);
            logger.LogInformation("Trial {TrialId} completed.", trialId);
            return false;
        }

        var (kind, message) = failure is not null
            ? (failure.Kind, failure.Message)
            : ("error", $"The trainer exited with code {exit.ExitCode}. {exit.StderrTail}");
        await DatabaseRetry.RunAsync(() => store.FailAsync(trialId, owner, kind, message, CancellationToken.None), logger, CancellationToken.None);
        logger.LogWarning("Trial {TrialId} failed ({Kind}): {Message}", trialId, kind, message);
        // A diverged trial, or one whose evaluation produced NaN, says something about its cell, not about the worker.
        return kind is not ("diverged" or "evaluation-nan");
    }
}

/// <summary>The trial's scratch files (checkpoint out, checkpoint in), deleted when the attempt ends.</summary>
internal sealed class TrialFiles(Guid trialId) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory($"sweep-trial-{trialId:N}-").FullName;

    public string Checkpoint => Path.Combine(_folder, "checkpoint.bin");

    public string Resume => Path.Combine(_folder, "resume.bin");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a scratch folder left in /tmp is harmless.
        }
    }
}

using Microsoft.Extensions.Logging;
using Sweep.Data.Commands;
using Sweep.Jobs.Engine;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Turns one attempt's trainer events into rows, riding out database blips (<see cref="DatabaseRetry"/>), and keeps
/// what the attempt's outcome depends on: how it ended, and the last checkpoint stored.
/// </summary>
public sealed class TrialEventRecorder(TrialStore store, TrialLease claim, ILogger logger)
{
    public CompletedEvent? Completed { get; private set; }

    public FailedEvent? Failure { get; private set; }

    public int? CheckpointEpoch { get; private set; }

    /// <summary>Stores the event; throws when it cannot be stored (the caller then stops the trainer).</summary>
    public async Task RecordAsync(TrainEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case StartedEvent started:
                await RetryAsync(() => store.SaveEnvironmentAsync(claim, started.Environment, ct), ct);
                break;
            case EpochEvent epoch:
                await RetryAsync(() => store.RecordMetricsAsync(claim, epoch.Epoch, epoch.Step, epoch.Metrics, updateLatest: true, ct), ct);
                break;
            case DistanceEvent distance:
                var point = new Dictionary<string, double> { ["weightDistance"] = distance.Value };
                await RetryAsync(() => store.RecordMetricsAsync(claim, distance.Epoch, distance.Step, point, updateLatest: false, ct), ct);
                break;
            case CheckpointEvent saved:
                // Opened outside the retry: an I/O error on the scratch file is not the database's, and retrying it only
                // keeps a trainer running whose checkpoints cannot be kept.
                await using (var data = TrialStore.OpenCheckpoint(saved.Path))
                {
                    await RetryAsync(() => store.SaveCheckpointAsync(claim, saved.Epoch, saved.Step, data, ct), ct);
                }

                CheckpointEpoch = saved.Epoch;
                break;
            case CompletedEvent done:
                Completed = done;
                break;
            case FailedEvent failed:
                Failure = failed;
                break;
        }
    }

    /// <summary>Writes through database blips; a write the lease fence refuses ends the attempt.</summary>
    private async Task RetryAsync(Func<Task<bool>> write, CancellationToken ct)
    {
        var held = false;
        await DatabaseRetry.RunAsync(async () => held = await write(), logger, ct);
        if (!held)
        {
            throw new LeaseFencedException(claim);
        }
    }
}

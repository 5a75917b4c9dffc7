using Hangfire;
using Microsoft.Extensions.Logging;
using Sweep.Data.Commands;
using Sweep.Data.Queue;

namespace Sweep.Jobs.Worker;

/// <summary>
/// Finds running trials whose lease expired (their worker died, or lost the database for too long) and requeues
/// them, or fails them as <c>lost</c> once they have been started <c>max_attempts</c> times
/// (<see cref="TrialCommands.ReapExpiredAsync"/>). Every worker runs it; each expired trial is reaped once.
/// </summary>
public sealed class TrialReaper(TrialCommands commands, IBackgroundJobClient jobs, ILogger<TrialReaper> logger)
{
    public async Task<int> ReapAsync(CancellationToken ct)
    {
        var reaped = await commands.ReapExpiredAsync(ct);
        foreach (var trial in reaped)
        {
            if (trial.Exhausted)
            {
                logger.TrialLeaseExhausted(trial.Id);
            }
            else
            {
                jobs.Enqueue(trial.Id, trial.Queue, trial.Priority);
                logger.TrialRequeuedAfterLeaseExpiry(trial.Id);
            }
        }

        return reaped.Count;
    }
}

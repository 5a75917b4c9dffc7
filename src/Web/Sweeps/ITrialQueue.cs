using Hangfire;
using Hangfire.States;
using Sweep.Domain.Execution;

namespace Sweep.Web.Sweeps;

/// <summary>Hands trials to the workers. Web writes the rows first; the queue only carries ids.</summary>
public interface ITrialQueue
{
    void Enqueue(IEnumerable<Guid> trialIds);
}

internal sealed class HangfireTrialQueue(IBackgroundJobClient jobs) : ITrialQueue
{
    /// <summary>Every worker listens on the shared queue next to its device queue.</summary>
    public const string SharedQueue = "default";

    public void Enqueue(IEnumerable<Guid> trialIds)
    {
        // Shuffled, so that a sweep stopped half-way has covered the grid evenly instead of one corner of it.
        var ids = trialIds.ToArray();
        Random.Shared.Shuffle(ids);
        foreach (var id in ids)
        {
            jobs.Create<ITrialRunner>(runner => runner.RunAsync(id, CancellationToken.None), new EnqueuedState(SharedQueue));
        }
    }
}

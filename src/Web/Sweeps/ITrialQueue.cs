using Hangfire;
using Sweep.Data.Queue;

namespace Sweep.Web.Sweeps;

/// <summary>Hands trials to the workers. Web writes the rows first; the queue only carries ids.</summary>
public interface ITrialQueue
{
    void Enqueue(IEnumerable<(Guid TrialId, int Priority)> trials, string target);
}

internal sealed class HangfireTrialQueue(IBackgroundJobClient jobs) : ITrialQueue
{
    public void Enqueue(IEnumerable<(Guid TrialId, int Priority)> trials, string target)
    {
        // Shuffled, so that a sweep stopped half-way has covered the grid evenly instead of one corner of it.
        var items = trials.ToArray();
        Random.Shared.Shuffle(items);
        foreach (var (trialId, priority) in items)
        {
            jobs.Enqueue(trialId, target, priority);
        }
    }
}

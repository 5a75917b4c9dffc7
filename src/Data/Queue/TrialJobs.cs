using Hangfire;
using Hangfire.States;
using Sweep.Domain.Execution;

namespace Sweep.Data.Queue;

/// <summary>The one way anything puts a trial on a queue: a job that carries only the trial's id.</summary>
public static class TrialJobs
{
    public static string Enqueue(this IBackgroundJobClient jobs, Guid trialId, string target, int priority) =>
        jobs.Create<ITrialRunner>(runner => runner.RunAsync(trialId, CancellationToken.None), new EnqueuedState(TrialQueues.For(target, priority)));
}

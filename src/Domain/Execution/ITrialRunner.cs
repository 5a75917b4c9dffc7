namespace Sweep.Domain.Execution;

/// <summary>
/// The one job the queue carries: run a trial by its id. Web enqueues it by this interface and the Jobs worker
/// supplies the implementation, so Web never loads the trainer. Implementations must be idempotent.
/// </summary>
public interface ITrialRunner
{
    Task RunAsync(Guid trialId, CancellationToken cancellationToken);
}

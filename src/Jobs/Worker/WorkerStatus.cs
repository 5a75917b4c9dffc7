namespace Sweep.Jobs.Worker;

/// <summary>What this worker process is doing right now, shared by the job and the supervisor.</summary>
public sealed class WorkerStatus
{
    private Guid? _currentTrial;
    private volatile bool _paused;

    public Guid? CurrentTrial
    {
        get => _currentTrial;
        set => _currentTrial = value;
    }

    /// <summary>A paused worker hands every job it still fetches back to the queue instead of running it.</summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }
}

namespace Sweep.Jobs.Worker;

/// <summary>How one claim of a trial ended, as far as the worker's failures in a row and the trial's attempts go.</summary>
public enum AttemptOutcome
{
    Completed,

    /// <summary>The trial failed for a reason of its own cell (diverged, NaN evaluation, out of memory).</summary>
    TrialFailed,

    /// <summary>It failed in a way that may be the worker's (an error, a stall): counts toward pausing the worker.</summary>
    WorkerFailed,

    /// <summary>The trial was cancelled or taken over; its trainer was stopped.</summary>
    LeaseTaken,

    /// <summary>The lease ran out unrenewed; the trainer was killed and nothing was written.</summary>
    LeaseExpired,

    /// <summary>Handed back to the queue (shutdown, drain).</summary>
    Released,
}

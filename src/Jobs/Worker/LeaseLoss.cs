namespace Sweep.Jobs.Worker;

/// <summary>Why a trial's lease was lost while its trainer ran.</summary>
public enum LeaseLoss
{
    /// <summary>The database said the trial is no longer ours: cancelled, or reaped and taken by another worker.</summary>
    Taken,

    /// <summary>
    /// No renewal got through for a whole lease: the database may already have given the trial to someone else, so
    /// this worker must stop training and write nothing more.
    /// </summary>
    Expired,
}

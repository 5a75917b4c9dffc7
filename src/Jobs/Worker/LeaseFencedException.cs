using Sweep.Data.Commands;

namespace Sweep.Jobs.Worker;

/// <summary>
/// A write for the trial was refused because the trial no longer runs under this claim's lease generation (it was
/// cancelled, or reaped and taken over). The attempt stops at once; its heartbeat would find out a little later.
/// </summary>
public sealed class LeaseFencedException(TrialLease claim)
    : Exception($"Trial {claim.TrialId} no longer runs under lease generation {claim.Generation}; the write was refused.");

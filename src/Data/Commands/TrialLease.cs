namespace Sweep.Data.Commands;

/// <summary>
/// What a claim hands the worker: the trial, who claimed it (for the attempt history and logs), and the lease
/// generation the claim wrote. Every later write for the trial carries the generation and changes nothing unless
/// the trial is still running under it: a takeover or a cancel fences the old holder out, whatever its name.
/// </summary>
public sealed record TrialLease(Guid TrialId, string Owner, long Generation);

namespace Sweep.Domain.Webhooks;

/// <summary>What a trial.* failure event says.</summary>
public sealed record TrialFailedFacts(Guid ProjectId, Guid SweepId, string SweepName, Guid TrialId, string? FailureKind, string? Error, int Attempt);

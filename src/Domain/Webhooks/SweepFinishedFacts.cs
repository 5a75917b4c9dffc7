namespace Sweep.Domain.Webhooks;

/// <summary>What a sweep.finished event says: the sweep and how many of its trials ended in each state.</summary>
public sealed record SweepFinishedFacts(Guid ProjectId, Guid SweepId, string SweepName, IReadOnlyDictionary<string, int> CountsByState);

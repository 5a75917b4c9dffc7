namespace Sweep.Data.Tests;

/// <summary>The columns of a trial row that the transition tests read.</summary>
public sealed record TrialRow(string State, int Attempt, long Generation, string? Owner, int CurrentEpoch, string? FailureKind, string? Config, string? Environment);

namespace Sweep.Data.Tests;

/// <summary>The columns of a worker row that the transition tests read.</summary>
public sealed record WorkerRow(string State, string? PausedBy, string? PausedReason, int ConsecutiveFailures);

namespace Sweep.Data.Telemetry;

/// <summary>One row of <see cref="OperatorSnapshotReader"/>'s query: what it counts (<paramref name="Kind"/>), for which label, and the value.</summary>
/// <param name="Name">The trial or delivery state, or the worker's name.</param>
/// <param name="State">The worker's state; null for the other kinds.</param>
public sealed record OperatorRow(string Kind, string Name, string? State, double Value);

namespace Sweep.Data.Entities;

/// <summary>
/// An example bundle that was loaded once. The row outlives its sweep on purpose: a user who deletes an example
/// does not get it back at the next start.
/// </summary>
public sealed class ExampleImport
{
    /// <summary>The bundle's stable key (e.g. hoffer2017-f1-fashion-mnist-table).</summary>
    public required string Key { get; set; }

    /// <summary>The sweep it became; null once that sweep was deleted.</summary>
    public Guid? SweepId { get; set; }

    public DateTimeOffset ImportedAt { get; set; }
}

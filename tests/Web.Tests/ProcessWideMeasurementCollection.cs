namespace Sweep.Web.Tests;

/// <summary>
/// Tests that measure through something process-wide: <see cref="GC.GetTotalAllocatedBytes(bool)"/>, an
/// <see cref="System.Diagnostics.ActivityListener"/>, or OpenTelemetry's meter listener, which collects the instruments
/// of a meter's name from every host in the process. They run alone, so that no host beside them adds to what they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurementCollection
{
    public const string Name = "Process-wide measurements";
}

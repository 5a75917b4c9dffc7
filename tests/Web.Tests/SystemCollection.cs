namespace Sweep.Web.Tests;

/// <summary>
/// The system tier's classes (<c>[Trait(Tier.Name, Tier.System)]</c>) share this collection, which runs alone and one
/// test at a time: they stop and restart the shared PostgreSQL, kill real processes and time leases and heartbeats.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemCollection
{
    public const string Name = "System tier";
}

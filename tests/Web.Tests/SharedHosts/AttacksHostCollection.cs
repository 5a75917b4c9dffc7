namespace Sweep.Web.Tests.SharedHosts;

/// <summary>The attack classes: one web host and one database for all of them (<see cref="SharedHost"/>).</summary>
[CollectionDefinition(SharedHost.Attacks)]
public sealed class AttacksHostCollection : ICollectionFixture<SweepWebFactory>;

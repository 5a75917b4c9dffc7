namespace Sweep.Web.Tests.SharedHosts;

/// <summary>The access-control classes: one web host and one database for all of them (<see cref="SharedHost"/>).</summary>
[CollectionDefinition(SharedHost.Access)]
public sealed class AccessHostCollection : ICollectionFixture<SweepWebFactory>;

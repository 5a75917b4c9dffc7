namespace Sweep.Web.Tests.SharedHosts;

/// <summary>The sweeps API's classes: one web host and one database for all of them (<see cref="SharedHost"/>).</summary>
[CollectionDefinition(SharedHost.Api)]
public sealed class ApiHostCollection : ICollectionFixture<SweepWebFactory>;

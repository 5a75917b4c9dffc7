namespace Sweep.Web.Tests.SharedHosts;

/// <summary>The classes that read a sweep's results: one web host and one database for all of them (<see cref="SharedHost"/>).</summary>
[CollectionDefinition(SharedHost.Results)]
public sealed class ResultsHostCollection : ICollectionFixture<SweepWebFactory>;

namespace Sweep.Web.Tests.SharedHosts;

/// <summary>The page classes: one web host and one database for all of them (<see cref="SharedHost"/>).</summary>
[CollectionDefinition(SharedHost.Pages)]
public sealed class PagesHostCollection : ICollectionFixture<SweepWebFactory>;

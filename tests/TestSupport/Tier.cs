namespace Sweep.Testing;

/// <summary>
/// The test tiers, as an xunit trait: <c>[Trait(Tier.Name, Tier.System)]</c>. `./sweep test` runs the untagged tests
/// first, with the test projects in parallel; then the <see cref="Browser"/> tier; then the <see cref="System"/> tier,
/// one test at a time and alone on the cluster. `./sweep test --fast` runs only the untagged tests.
/// </summary>
public static class Tier
{
    public const string Name = "Tier";

    /// <summary>
    /// Tests that run real web or worker processes (fault, partition, queue-sweep, scale-out, end-to-end, replica and
    /// proxy tests). Some stop and restart the shared PostgreSQL, and some time leases and heartbeats, so nothing else
    /// may run beside them.
    /// </summary>
    public const string System = "System";

    /// <summary>Tests that drive chromium against a web and a worker process (tests/Browser.Tests).</summary>
    public const string Browser = "Browser";
}

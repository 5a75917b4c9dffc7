namespace Sweep.Web.Tests.SharedHosts;

/// <summary>
/// The collections whose classes share one <see cref="SweepWebFactory"/>: one web host over one database per
/// collection, instead of one per class. Starting a host and answering its first requests cost most of what such a
/// class cost (docs/benchmarks.md, "2026-12-08: shared web hosts"; ADR 0017). The classes of a collection run one
/// after another, never side by side, so each sees what the classes before it left in the database. A class joins a
/// collection only when its assertions read nothing but rows it made itself (its own sweep ids, its own tag, accounts
/// with unique emails), or counts it compares before and after its own request, and when it changes nothing shared:
/// the default project's members, settings and limits, the administrator, registration. A class that counts globally,
/// or needs other settings, keeps a factory of its own.
/// </summary>
public static class SharedHost
{
    /// <summary>Creating, listing, validating and controlling sweeps.</summary>
    public const string Api = "Shared web host: sweeps API";

    /// <summary>What a sweep's results are read as: heatmaps, curves, exports, checkpoints, notes, the API document.</summary>
    public const string Results = "Shared web host: results";

    /// <summary>The pages: sweeps, trials, comparisons, projects, sharing and tokens.</summary>
    public const string Pages = "Shared web host: pages";

    /// <summary>Who may read and do what: roles, isolation, scopes, share links, tokens.</summary>
    public const string Access = "Shared web host: access";

    /// <summary>Attacks on sessions, accounts and forms.</summary>
    public const string Attacks = "Shared web host: attacks";
}

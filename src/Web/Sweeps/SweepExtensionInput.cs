namespace Sweep.Web.Sweeps;

/// <summary>
/// The sweep page's extend form as typed: comma-separated values to add to each axis. Parsed with the builder's own
/// list parsing (<see cref="SweepForm"/>), keyed by the same JSON paths that the validator and the API use.
/// </summary>
public sealed class SweepExtensionInput
{
    public const string BatchSizePath = "grid.batchSize";
    public const string GhostBatchSizePath = "grid.ghostBatchSize";
    public const string RegimePath = "grid.regimeMultiplier";
    public const string SeedsPath = "training.seeds";

    /// <summary>The paths this form has an input for; errors at any other path are listed under the form.</summary>
    public static IReadOnlyList<string> Paths { get; } = [BatchSizePath, GhostBatchSizePath, RegimePath, SeedsPath];

    public string BatchSizes { get; set; } = "";

    public string GhostBatchSizes { get; set; } = "";

    public string RegimeMultipliers { get; set; } = "";

    public string Seeds { get; set; } = "";

    public bool IsEmpty => string.IsNullOrWhiteSpace(BatchSizes + GhostBatchSizes + RegimeMultipliers + Seeds);

    /// <summary>The extension, or the fields that did not parse (and no extension).</summary>
    public (SweepExtension? Extension, IReadOnlyDictionary<string, string[]> Errors) Parse()
    {
        var parse = new Dictionary<string, List<string>>();
        var extension = new SweepExtension(
            BatchSize: FormText.Ints(parse, BatchSizePath, BatchSizes),
            GhostBatchSize: FormText.Ints(parse, GhostBatchSizePath, GhostBatchSizes),
            RegimeMultiplier: FormText.Regimes(parse, RegimePath, RegimeMultipliers),
            Seeds: FormText.Ints(parse, SeedsPath, Seeds));
        return parse.Count > 0
            ? (null, parse.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()))
            : (extension, new Dictionary<string, string[]>());
    }
}

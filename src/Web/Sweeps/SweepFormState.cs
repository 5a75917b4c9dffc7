using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>The builder's view of a form: the spec it describes, every error by JSON path, and the grid's cells.</summary>
/// <param name="HasParseErrors">True when some input did not parse; such a form is not sent.</param>
/// <param name="GridPoints">Grid points before invalid (B, G) pairs are dropped.</param>
/// <param name="Expansion">The cells and invalid cells, or null when the grid is too large or its sizes unusable.</param>
public sealed record SweepFormState(
    SweepSpec Spec,
    IReadOnlyDictionary<string, string[]> Errors,
    bool HasParseErrors,
    long GridPoints,
    GridExpansion? Expansion)
{
    public int? CellCount => Expansion?.Cells.Count;
}

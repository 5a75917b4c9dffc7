using System.ComponentModel.DataAnnotations;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Api;

/// <summary>Limits on what the API accepts. Bound from the "Api" section; validated at start.</summary>
public sealed class SweepApiOptions
{
    public const string Section = "Api";

    [Range(1, 1_000_000)]
    public int MaxCells { get; set; } = 10_000;

    [Range(1, 100_000)]
    public int MaxEpochs { get; set; } = 10_000;

    public SweepLimits ToLimits() => new() { MaxCells = MaxCells, MaxEpochs = MaxEpochs };
}

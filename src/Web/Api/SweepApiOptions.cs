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

    /// <summary>The largest regime multiplier, fixed or as auto resolves it for a cell.</summary>
    [Range(1, 1_000_000)]
    public double MaxRegimeMultiplier { get; set; } = 100;

    /// <summary>The most epochs one trial may train: epochs × its regime multiplier.</summary>
    [Range(1, 10_000_000)]
    public int MaxTrialEpochs { get; set; } = 10_000;

    /// <summary>The smallest distanceEveryNSteps other than 0: each weight-distance record is one database write.</summary>
    [Range(1, 1_000_000)]
    public int MinDistanceEveryNSteps { get; set; } = 10;

    /// <summary>Queued trials one project may have; creating or extending a sweep past it is refused with a field error.</summary>
    [Range(1, 100_000_000)]
    public int MaxQueuedTrialsPerProject { get; set; } = 50_000;

    /// <summary>
    /// The largest request body under /api, in bytes (default 1 MiB). A sweep spec is a few hundred bytes; a
    /// 10,000-cell grid still fits in a few kilobytes, so anything near this limit is a mistake or an attack.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How many heatmap cells the API keeps projected (HeatmapCache; a few hundred bytes each, so the default holds
    /// about 50 heatmaps of 1,000 cells in some 20 MB). 0 keeps none; answers still carry an ETag and revalidate.
    /// </summary>
    [Range(0, 10_000_000)]
    public int HeatmapCacheCells { get; set; } = 50_000;

    /// <summary>
    /// How many trials the sweep pages keep read (LiveSweepCache; about 1 kB each, so the default holds four
    /// 10,000-trial sweeps in some 40 MB). 0 keeps none: every page then reads its sweep whole when it opens.
    /// </summary>
    [Range(0, 10_000_000)]
    public int SweepPageCacheTrials { get; set; } = 50_000;

    public SweepLimits ToLimits() => new()
    {
        MaxCells = MaxCells,
        MaxEpochs = MaxEpochs,
        MaxRegimeMultiplier = MaxRegimeMultiplier,
        MaxTrialEpochs = MaxTrialEpochs,
        MinDistanceEveryNSteps = MinDistanceEveryNSteps,
        MaxQueuedTrialsPerProject = MaxQueuedTrialsPerProject,
    };
}

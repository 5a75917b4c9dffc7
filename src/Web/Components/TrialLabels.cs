using System.Globalization;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Components;

/// <summary>
/// Short legend labels for a set of trials: batch and ghost batch size always, every other grid value only when it
/// differs between the trials shown.
/// </summary>
public static class TrialLabels
{
    public static IReadOnlyDictionary<Guid, string> For(IReadOnlyList<CurveTrial> trials)
    {
        bool Varies<T>(Func<CurveTrial, T> axis) => trials.Select(axis).Distinct().Skip(1).Any();
        var regime = Varies(t => t.RegimeMultiplier);
        var seed = Varies(t => t.Seed);
        var lr = Varies(t => t.LrScaling);
        var gbn = Varies(t => t.GbnImplementation);
        var stats = Varies(t => t.RunningStats);
        return trials.ToDictionary(t => t.Id, t =>
        {
            var parts = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"B={t.BatchSize}"),
                string.Create(CultureInfo.InvariantCulture, $"G={t.GhostBatchSize}"),
            };
            if (regime)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"×{t.RegimeMultiplier:G4}"));
            }

            if (seed)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"seed {t.Seed}"));
            }

            if (lr)
            {
                parts.Add(t.LrScaling);
            }

            if (gbn)
            {
                parts.Add(t.GbnImplementation);
            }

            if (stats)
            {
                parts.Add(t.RunningStats);
            }

            return string.Join(" ", parts);
        });
    }
}

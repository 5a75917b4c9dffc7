using Sweep.Domain.Results;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The curves plotted by default: the baseline, the smallest and largest batch, the best and the worst.</summary>
public sealed class CurveSelectionTests
{
    private static TrialView Trial(int batch, int ghost, int seed, double? accuracy, double regime = 1) => new(
        Guid.NewGuid(), batch, ghost, regime, seed, "none", "vectorized", "sequential",
        accuracy is null ? "queued" : "completed", accuracy is null ? 0 : 4, 4, 1, 0, null, null, null, null,
        accuracy is { } a ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = a } : new Dictionary<string, double>());

    [Fact]
    public void It_picks_the_baseline_the_smallest_and_largest_batch_and_the_best_and_worst_configuration()
    {
        var baseline = Trial(128, 128, 1, 0.90);
        var smallest = Trial(64, 64, 1, 0.89);
        var best = Trial(256, 128, 1, 0.93);
        var middle = Trial(512, 128, 1, 0.88);
        var worst = Trial(1024, 128, 1, 0.70);
        var largest = Trial(4096, 128, 1, 0.80);
        var unremarkable = Trial(2048, 128, 1, 0.85);

        var chosen = CurveSelection.Default([smallest, baseline, best, middle, unremarkable, worst, largest], referenceBatchSize: 128);

        Assert.Equal([baseline.Id, smallest.Id, largest.Id, best.Id, worst.Id], chosen);
    }

    [Fact]
    public void Every_seed_of_a_chosen_configuration_is_taken_so_that_its_band_stays_whole()
    {
        var trials = new[] { Trial(128, 128, 1, 0.90), Trial(128, 128, 2, 0.91), Trial(256, 128, 1, 0.88), Trial(256, 128, 2, 0.87), Trial(512, 128, 1, 0.8) };

        var chosen = CurveSelection.Default(trials, referenceBatchSize: 128);

        // B = 128: baseline, smallest and best; B = 512: largest and worst; B = 256 is neither.
        Assert.Equal([trials[0].Id, trials[1].Id, trials[4].Id], chosen);
    }

    [Fact]
    public void Before_any_result_it_picks_by_grid_values_and_the_baseline_at_regime_one_first()
    {
        var longer = Trial(128, 128, 1, null, regime: 2);
        var baseline = Trial(128, 128, 1, null);
        var large = Trial(1024, 128, 1, null);
        var middle = Trial(512, 128, 1, null);

        var chosen = CurveSelection.Default([longer, middle, baseline, large], referenceBatchSize: 128);

        Assert.Equal([baseline.Id, longer.Id, large.Id], chosen);
    }

    [Fact]
    public void The_selection_stops_at_the_limit()
    {
        var trials = Enumerable.Range(1, 10).Select(seed => Trial(128, 128, seed, 0.9)).Concat(Enumerable.Range(1, 10).Select(seed => Trial(256, 128, seed, 0.8))).ToList();

        Assert.Equal(15, CurveSelection.Default(trials, 128, max: 15).Count);
    }
}

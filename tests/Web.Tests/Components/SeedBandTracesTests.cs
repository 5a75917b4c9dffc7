using Plotly.Blazor.Traces.ScatterLib;
using Sweep.Domain.Statistics;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>Curves grouped over seeds: one group per configuration, a mean line and a band filled between low and high.</summary>
public sealed class SeedBandTracesTests
{
    private static CurveTrial Trial(int batch, int seed) =>
        new(Guid.NewGuid(), batch, batch, 1, seed, "sqrt", "vectorized", "sequential", "completed");

    [Fact]
    public void Trials_that_differ_only_by_seed_form_one_group()
    {
        var groups = SeedBandTraces.Groups([Trial(128, 1), Trial(128, 2), Trial(4096, 1), Trial(128, 3)]);

        Assert.Equal(2, groups.Count);
        Assert.Equal(3, groups[0].Trials.Count);
        Assert.Equal("B=128 G=128 (mean of 3 seeds)", groups[0].Label);
        Assert.Equal("B=4096 G=4096", groups[1].Label);
        Assert.True(SeedBandTraces.HasReplicates([Trial(128, 1), Trial(128, 2)]));
        Assert.False(SeedBandTraces.HasReplicates([Trial(128, 1), Trial(4096, 1)]));
    }

    [Fact]
    public void The_band_fills_between_its_low_and_high_traces_under_the_mean()
    {
        var band = SeedBands.Aggregate([[(1, 0.5), (2, 0.6)], [(1, 0.7), (2, 0.8)], [(1, 0.6), (2, 0.7)]]);

        var traces = SeedBandTraces.Traces("B=128", "g", "#440154", band);

        Assert.Equal(3, traces.Count);
        Assert.Null(traces[0].Fill);
        Assert.Equal(FillEnum.ToNextY, traces[1].Fill);
        Assert.Equal("rgba(68,1,84,0.2)", traces[1].FillColor);
        Assert.EndsWith(SeedBandTraces.BandSuffix, traces[1].Name);
        Assert.Equal([0.6, 0.7], traces[2].Y.Cast<double>().Select(v => Math.Round(v, 10)));
        Assert.True((double)traces[0].Y[0] < 0.6 && (double)traces[1].Y[0] > 0.6);
        Assert.All(traces.Take(2), t => Assert.False(t.ShowLegend));
    }

    [Fact]
    public void A_single_seed_has_a_mean_line_and_no_band()
    {
        var traces = SeedBandTraces.Traces("B=128", "g", "#440154", SeedBands.Aggregate([[(1, 0.5), (2, 0.6)]]));

        Assert.Null(Assert.Single(traces).Fill);
    }
}

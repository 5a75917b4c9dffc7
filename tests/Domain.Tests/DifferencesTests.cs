using Sweep.Domain.Statistics;

namespace Sweep.Domain.Tests;

/// <summary>reference − cell: paired by seed when two or more seeds match, else Welch.</summary>
public sealed class DifferencesTests
{
    [Fact]
    public void Matching_seeds_give_a_paired_interval_over_the_per_seed_differences()
    {
        // Per-seed differences 1, 2, 3: mean 2, sd 1, interval 2 ± t(2)/√3. Seed 9 is on one side only.
        var reference = new Dictionary<int, double> { [1] = 11, [2] = 12, [3] = 13, [9] = 100 };
        var cell = new Dictionary<int, double> { [1] = 10, [2] = 10, [3] = 10 };

        var d = Differences.Between(reference, cell);

        Assert.NotNull(d);
        Assert.True(d.Paired);
        Assert.Equal(3, d.N);
        Assert.Equal(2.0, d.Mean, 12);
        Assert.Equal(2 - (4.3027 / Math.Sqrt(3)), d.Ci95!.Low, 3);
        Assert.Equal(2 + (4.3027 / Math.Sqrt(3)), d.Ci95.High, 3);
        // Three seeds and an sd of 1: the interval [−0.48, 4.48] still holds 0.
        Assert.True(d.WithinNoise);
    }

    [Fact]
    public void Pairing_removes_the_noise_that_seeds_share()
    {
        // Each seed moves both sides alike: unpaired the groups overlap, paired the cell is clearly 0.01 lower.
        var reference = new Dictionary<int, double> { [1] = 0.80, [2] = 0.90, [3] = 0.85 };
        var cell = new Dictionary<int, double> { [1] = 0.79, [2] = 0.889, [3] = 0.841 };

        var d = Differences.Between(reference, cell)!;

        Assert.True(d.Paired);
        Assert.False(d.WithinNoise);
    }

    [Fact]
    public void Without_two_matching_seeds_Welchs_interval_is_used()
    {
        // ref {1, 2, 3}: mean 2, var 1; cell {0, 2}: mean 1, var 2. se² = 1/3 + 2/2 = 4/3;
        // Welch–Satterthwaite df = (4/3)² / ((1/3)²/2 + 1²/1) = 32/19.
        var reference = new Dictionary<int, double> { [1] = 1, [2] = 2, [3] = 3 };
        var cell = new Dictionary<int, double> { [4] = 0, [5] = 2 };

        var d = Differences.Between(reference, cell)!;

        Assert.False(d.Paired);
        Assert.Equal(2, d.N);
        Assert.Equal(1.0, d.Mean, 12);
        var half = StudentT.Quantile975(32.0 / 19) * Math.Sqrt(4.0 / 3);
        Assert.Equal(1 - half, d.Ci95!.Low, 9);
        Assert.Equal(1 + half, d.Ci95.High, 9);
        Assert.True(d.WithinNoise);
    }

    [Fact]
    public void One_matching_seed_is_not_enough_to_pair()
    {
        var reference = new Dictionary<int, double> { [1] = 1, [2] = 2, [3] = 3 };
        var cell = new Dictionary<int, double> { [1] = 0, [5] = 2 };

        Assert.False(Differences.Between(reference, cell)!.Paired);
    }

    [Fact]
    public void A_single_value_on_one_side_gives_a_difference_without_an_interval()
    {
        var reference = new Dictionary<int, double> { [1] = 0.9, [2] = 0.8 };
        var cell = new Dictionary<int, double> { [7] = 0.7 };

        var d = Differences.Between(reference, cell)!;

        Assert.Equal(0.15, d.Mean, 12);
        Assert.Null(d.Ci95);
        Assert.Null(d.WithinNoise);
        Assert.Equal(1, d.N);
    }

    [Fact]
    public void A_side_without_a_finite_value_gives_no_difference()
    {
        var reference = new Dictionary<int, double> { [1] = 0.9 };

        Assert.Null(Differences.Between(reference, new Dictionary<int, double> { [1] = double.NaN }));
        Assert.Null(Differences.Between(new Dictionary<int, double>(), reference));
    }

    [Fact]
    public void Non_finite_values_are_left_out_of_the_pairs()
    {
        var reference = new Dictionary<int, double> { [1] = 3, [2] = 4, [3] = double.NaN };
        var cell = new Dictionary<int, double> { [1] = 1, [2] = 1, [3] = 1 };

        var d = Differences.Between(reference, cell)!;

        Assert.True(d.Paired);
        Assert.Equal(2, d.N);
        Assert.Equal(2.5, d.Mean, 12);
    }
}

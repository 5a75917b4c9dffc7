using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

/// <summary>Issue 15, failure 6: bounded work per request (epochs × regime, the regime itself, distance records, queued trials).</summary>
public sealed class WorkPerRequestLimitsTests
{
    private static readonly SweepSpec Valid = new()
    {
        Name = "bounded",
        Grid = new GridSpec { BatchSize = [128, 1024], GhostBatchSize = [128] },
        Training = new TrainingSpec { Epochs = 3 },
    };

    private static SweepSpec With(int epochs, params RegimeMultiplier[] regimes) =>
        Valid with { Grid = Valid.Grid with { RegimeMultiplier = regimes }, Training = Valid.Training with { Epochs = epochs } };

    private static IReadOnlyDictionary<string, string[]> Validate(SweepSpec spec, SweepLimits? limits = null) =>
        SweepValidator.Validate(spec, limits ?? SweepLimits.Default);

    [Fact]
    public void The_issues_example_of_10000_epochs_times_a_million_is_refused_on_the_regime_multiplier()
    {
        var errors = Validate(With(10_000, RegimeMultiplier.Fixed(1_000_000)));

        var message = Assert.Single(Assert.Contains("grid.regimeMultiplier", errors));
        Assert.Contains("at most 100", message, StringComparison.Ordinal);
        Assert.Contains("1000000", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Epochs_times_the_regime_multiplier_is_capped_per_trial_on_the_epochs_field()
    {
        Assert.Empty(Validate(With(200, RegimeMultiplier.Fixed(50))));

        var errors = Validate(With(200, RegimeMultiplier.Fixed(1), RegimeMultiplier.Fixed(60)));

        var message = Assert.Single(Assert.Contains("training.epochs", errors));
        Assert.Contains("at most 10000 epochs", message, StringComparison.Ordinal);
        Assert.Contains("200 × 60 = 12000", message, StringComparison.Ordinal);
        Assert.DoesNotContain("grid.regimeMultiplier", errors.Keys);
    }

    [Fact]
    public void Auto_is_judged_as_it_resolves_for_the_largest_batch()
    {
        // auto is ceil(B / 128): 32 for 4096 (within the cap, but 400 × 32 epochs are too many), 128 for 16384.
        var spec = Valid with { Grid = Valid.Grid with { BatchSize = [128, 4096], RegimeMultiplier = [RegimeMultiplier.Auto] } };
        Assert.Empty(Validate(spec with { Training = spec.Training with { Epochs = 300 } }));
        var epochs = Assert.Single(Assert.Contains("training.epochs", Validate(spec with { Training = spec.Training with { Epochs = 400 } })));
        Assert.Contains("400 × 32 = 12800 (regimeMultiplier auto, batch size 4096)", epochs, StringComparison.Ordinal);

        var huge = Validate(spec with { Grid = spec.Grid with { BatchSize = [16384] } });
        var regime = Assert.Single(Assert.Contains("grid.regimeMultiplier", huge));
        Assert.Contains("auto resolves to 128 for batch size 16384", regime, StringComparison.Ordinal);
    }

    [Fact]
    public void The_caps_are_configurable()
    {
        var limits = SweepLimits.Default with { MaxTrialEpochs = 100, MaxRegimeMultiplier = 4 };

        Assert.Contains("training.epochs", Validate(With(60, RegimeMultiplier.Fixed(2)), limits).Keys);
        Assert.Contains("grid.regimeMultiplier", Validate(With(3, RegimeMultiplier.Fixed(8)), limits).Keys);
        Assert.Empty(Validate(With(50, RegimeMultiplier.Fixed(2)), limits));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(9, false)]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(500, true)]
    public void DistanceEveryNSteps_is_0_or_at_least_the_minimum(int n, bool valid)
    {
        var errors = Validate(Valid with { Training = Valid.Training with { DistanceEveryNSteps = n } });

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains("at least 10", Assert.Single(Assert.Contains("training.distanceEveryNSteps", errors)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_minimum_distance_interval_is_configurable()
    {
        var errors = Validate(Valid with { Training = Valid.Training with { DistanceEveryNSteps = 50 } }, SweepLimits.Default with { MinDistanceEveryNSteps = 100 });

        Assert.Contains("at least 100", Assert.Single(Assert.Contains("training.distanceEveryNSteps", errors)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_project_queue_limit_says_the_limit_the_queued_count_and_what_the_request_adds()
    {
        var limits = SweepLimits.Default with { MaxQueuedTrialsPerProject = 1_000 };

        Assert.Empty(ProjectQueueLimit.Check(980, 20, limits));
        Assert.Empty(ProjectQueueLimit.Check(5_000, 0, limits));
        var message = Assert.Single(Assert.Contains("grid", ProjectQueueLimit.Check(990, 20, limits)));
        Assert.Contains("at most 1000 queued trials", message, StringComparison.Ordinal);
        Assert.Contains("990 queued now", message, StringComparison.Ordinal);
        Assert.Contains("adds 20", message, StringComparison.Ordinal);
    }
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Web.Components.Pages;

namespace Sweep.Web.Tests.Components;

/// <summary>Issue 15, failure 6: the caps on work per trial show in the sweep builder next to the field they name.</summary>
public sealed class SweepBuilderLimitsTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    private static IRenderedComponent<NewSweep> Render(BunitContext context)
    {
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/sweeps/new");
        var cut = context.Render<NewSweep>();
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find(".builder-summary").GetAttribute("aria-busy")), TimeSpan.FromSeconds(30));
        return cut;
    }

    [Fact]
    public async Task Epochs_times_the_regime_multiplier_over_the_cap_is_reported_under_the_epochs_field()
    {
        using var context = db.CreateContext();
        var cut = Render(context);

        // The defaults train 4096 under auto at ×32: 400 epochs become 12,800.
        await cut.Find("#field-training-epochs").InputAsync(new ChangeEventArgs { Value = "400" });

        Assert.Contains("400 × 32 = 12800", cut.Find("#error-training-epochs").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find("#field-training-epochs").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task A_regime_multiplier_over_the_cap_is_reported_under_the_regime_field()
    {
        using var context = db.CreateContext();
        var cut = Render(context);

        await cut.Find("#field-grid-regimeMultiplier").InputAsync(new ChangeEventArgs { Value = "1, 1000000" });

        Assert.Contains("at most 100", cut.Find("#error-grid-regimeMultiplier").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_distance_interval_under_the_minimum_is_reported_under_its_field()
    {
        using var context = db.CreateContext();
        var cut = Render(context);

        await cut.Find("#field-training-distanceEveryNSteps").InputAsync(new ChangeEventArgs { Value = "1" });

        Assert.Contains("at least 10", cut.Find("#error-training-distanceEveryNSteps").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_checkpoint_interval_is_set_in_the_builder_and_under_one_is_reported_under_its_field()
    {
        using var context = db.CreateContext();
        var cut = Render(context);
        Assert.Equal("1", cut.Find("#field-training-checkpointEveryEpochs").GetAttribute("value"));

        await cut.Find("#field-training-checkpointEveryEpochs").InputAsync(new ChangeEventArgs { Value = "0" });

        Assert.Contains("checkpointEveryEpochs must be ≥ 1", cut.Find("#error-training-checkpointEveryEpochs").TextContent, StringComparison.Ordinal);
    }
}

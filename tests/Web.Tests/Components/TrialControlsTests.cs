using Bunit;
using Microsoft.AspNetCore.Components;
using Sweep.Domain.Results;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The trial page's pending buttons and the trial table's sort and filter, clicked through bUnit.</summary>
public sealed class TrialControlsTests
{
    [Fact]
    public async Task A_pending_button_is_disabled_busy_and_says_so_until_its_action_returns()
    {
        using var context = new BunitContext();
        var action = new TaskCompletionSource();
        var runs = 0;
        var cut = context.Render<PendingButton>(p => p
            .Add(c => c.Id, "cancel-trial")
            .Add(c => c.Label, "Cancel")
            .Add(c => c.PendingLabel, "Cancelling…")
            .Add(c => c.OnClick, EventCallback.Factory.Create(this, () => { runs++; return action.Task; })));

        var click = cut.Find("#cancel-trial").ClickAsync(new());

        var pending = cut.Find("#cancel-trial");
        Assert.Equal("Cancelling…", pending.TextContent);
        Assert.True(pending.HasAttribute("disabled"));
        Assert.Equal("true", pending.GetAttribute("aria-busy"));

        action.SetResult();
        await click;
        var done = cut.Find("#cancel-trial");
        Assert.Equal("Cancel", done.TextContent);
        Assert.False(done.HasAttribute("disabled"));
        Assert.False(done.HasAttribute("aria-busy"));
        Assert.Equal(1, runs);
    }

    [Fact]
    public void A_disabled_pending_button_says_why()
    {
        using var context = new BunitContext();
        var cut = context.Render<PendingButton>(p => p
            .Add(c => c.Id, "retry-trial").Add(c => c.Label, "Retry").Add(c => c.PendingLabel, "Retrying…")
            .Add(c => c.Disabled, true).Add(c => c.DisabledReason, "Only a failed or cancelled trial can be retried."));

        Assert.Equal("Only a failed or cancelled trial can be retried.", cut.Find("#retry-trial").GetAttribute("title"));
    }

    [Fact]
    public void Headers_sort_both_ways_with_aria_sort_and_the_filter_keeps_one_state()
    {
        using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        IReadOnlyList<TrialView> trials = [Trial(64, "completed", 0.80), Trial(128, "completed", 0.90), Trial(256, "failed", null, "diverged")];
        var cut = context.Render<TrialTable>(p => p.Add(c => c.Trials, trials));

        IEnumerable<string> Batches() => cut.FindAll("#trials tbody tr").Select(r => r.QuerySelector("td")!.TextContent);

        cut.Find("#sort-val-acc").Click();
        Assert.Equal(["64", "128", "256"], Batches());
        Assert.Equal("ascending", cut.Find("#sort-val-acc").ParentElement!.GetAttribute("aria-sort"));

        cut.Find("#sort-val-acc").Click();
        Assert.Equal(["128", "64", "256"], Batches()); // without a value: last either way
        Assert.Equal("descending", cut.Find("#sort-val-acc").ParentElement!.GetAttribute("aria-sort"));
        Assert.Single(cut.FindAll("th[aria-sort]"));

        cut.Find("#trial-state-filter").Change("failed");
        Assert.Equal(["256"], Batches());
        Assert.Contains("diverged", cut.Find("#trials tbody tr").TextContent);

        cut.Find("#trial-state-filter").Change("running");
        Assert.Empty(Batches());
        Assert.Equal("No trial is running.", cut.Find("#trial-filter-empty").TextContent);

        // The best row stays marked whatever is shown.
        cut.Find("#trial-state-filter").Change("completed");
        Assert.Equal("128", cut.Find("#trials tr.best td").TextContent);
    }

    [Fact]
    public void On_a_shared_page_trial_links_stay_under_the_share_link()
    {
        using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var trial = Trial(64, "completed", 0.8);
        var cut = context.Render<TrialTable>(p => p.Add(c => c.Trials, [trial]).Add(c => c.ShareToken, "sws_abc"));

        Assert.Equal($"s/sws_abc/trials/{trial.Id}", cut.Find(".trial-link").GetAttribute("href"));
    }

    private static TrialView Trial(int batch, string state, double? valAccuracy, string? failureKind = null) => new(
        Guid.NewGuid(), batch, batch, 1, 1, "sqrt", "vectorized", "sequential", state, 1, 2, 1, 0, failureKind, null, null, null,
        valAccuracy is { } v ? new Dictionary<string, double> { [MetricNames.ValAccuracy] = v } : new Dictionary<string, double>());
}

using Bunit;
using Sweep.Domain.Results;
using Sweep.Web.Components;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The trial table of a large sweep: one page of rows rendered at a time, sorted and filtered over all of them.</summary>
public sealed class TrialTablePagingTests
{
    private static TrialView Trial(int batch, string state) => new(
        Guid.NewGuid(), batch, batch, 1, 1, "sqrt", "vectorized", "sequential", state, 2, 2, 1, 0, null, null, null, null,
        new Dictionary<string, double> { [MetricNames.ValAccuracy] = batch / 10_000.0 });

    [Fact]
    public void A_large_sweeps_table_renders_one_page_of_rows_and_pages_through_them()
    {
        using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        IReadOnlyList<TrialView> trials = Enumerable.Range(1, 1_234).Select(b => Trial(b, b % 10 == 0 ? "failed" : "completed")).ToList();
        var cut = context.Render<TrialTable>(p => p.Add(c => c.Trials, trials));

        List<string> Batches() => cut.FindAll("#trials tbody tr").Select(r => r.QuerySelector("td")!.TextContent).ToList();
        string Range() => cut.Find("#trials-pager-range").TextContent;

        Assert.Equal(TrialTable.PageSize, Batches().Count);
        Assert.Equal("1", Batches()[0]);
        Assert.Equal("1–50 of 1,234", Range());
        Assert.True(cut.Find("#trials-pager-prev").HasAttribute("disabled"));

        cut.Find("#trials-pager-next").Click();
        Assert.Equal(Enumerable.Range(51, 50).Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)), Batches());
        Assert.Equal("51–100 of 1,234", Range());
        Assert.False(cut.Find("#trials-pager-prev").HasAttribute("disabled"));

        // A new order sorts every trial, not the page shown, and starts again at the first page.
        cut.Find("#sort-batch").Click();
        cut.Find("#sort-batch").Click();
        Assert.Equal("1234", Batches()[0]);
        Assert.Equal("1–50 of 1,234", Range());
        Assert.Contains("best", cut.Find("#trials tbody tr").ClassName);

        // So does a filter: 123 failed trials, the last page holds the 23 left.
        cut.Find("#trial-state-filter").Change("failed");
        Assert.Equal("1–50 of 123", Range());
        cut.Find("#trials-pager-next").Click();
        cut.Find("#trials-pager-next").Click();
        Assert.Equal(23, Batches().Count);
        Assert.Equal("101–123 of 123", Range());
        Assert.True(cut.Find("#trials-pager-next").HasAttribute("disabled"));
        Assert.Equal(["230", "10"], [Batches()[0], Batches()[^1]]);
    }

    [Fact]
    public void A_sweep_that_fits_on_one_page_has_no_pager()
    {
        using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        IReadOnlyList<TrialView> trials = Enumerable.Range(1, TrialTable.PageSize).Select(b => Trial(b, "completed")).ToList();
        var cut = context.Render<TrialTable>(p => p.Add(c => c.Trials, trials));

        Assert.Equal(TrialTable.PageSize, cut.FindAll("#trials tbody tr").Count);
        Assert.Empty(cut.FindAll("#trials-pager"));
    }
}

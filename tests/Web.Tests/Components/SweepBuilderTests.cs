using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Domain.Sweeps;
using Sweep.Web.Components.Pages;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests.Components;

/// <summary>The sweep builder at /sweeps/new: live validation, presets, cloning and submission, over a real database.</summary>
public sealed class SweepBuilderTests(ComponentDatabase db) : IClassFixture<ComponentDatabase>
{
    [Fact]
    public void The_form_starts_with_the_papers_defaults_and_counts_cells()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        Assert.Equal("f1", cut.Find("#field-model").GetAttribute("value"));
        Assert.Equal("fashion-mnist", cut.Find("#field-dataset").GetAttribute("value"));
        Assert.Equal("50", cut.Find("#field-training-epochs").GetAttribute("value"));
        Assert.Equal("0.1", cut.Find("#field-training-learningRate").GetAttribute("value"));
        Assert.Equal("128", cut.Find("#field-training-referenceBatchSize").GetAttribute("value"));
        Assert.Equal("10, 20, 30", cut.Find("#field-training-lrDropEpochs").GetAttribute("value"));
        Assert.Equal("5", cut.Find("#field-training-gradientClipNorm").GetAttribute("value"));
        Assert.Equal("sqrt", cut.Find("#field-training-lrScaling").GetAttribute("value"));

        // 128 × {1, auto = 1} and 4096 × {1, auto = 32}: three cells.
        Assert.StartsWith("3 cells", BuilderPage.CellCount(cut));

        // No error is shown for the empty name before the user has typed or submitted.
        Assert.Empty(cut.FindAll("#error-name"));
    }

    [Fact]
    public async Task The_cell_count_updates_on_every_change()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#field-grid-batchSize").InputAsync(new ChangeEventArgs { Value = "128, 1024, 4096" });
        Assert.StartsWith("5 cells", BuilderPage.CellCount(cut));

        await cut.Find("#field-training-seeds").InputAsync(new ChangeEventArgs { Value = "1, 2" });
        Assert.StartsWith("10 cells", BuilderPage.CellCount(cut));

        await cut.Find("#axis-lrScaling-none").ChangeAsync(new ChangeEventArgs { Value = true });
        await cut.Find("#axis-lrScaling-sqrt").ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.StartsWith("20 cells", BuilderPage.CellCount(cut));

        await cut.Find("#field-grid-regimeMultiplier").InputAsync(new ChangeEventArgs { Value = "1" });
        Assert.StartsWith("12 cells", BuilderPage.CellCount(cut));
    }

    [Fact]
    public async Task A_ghost_size_that_does_not_divide_a_batch_size_is_reported_next_to_the_ghost_sizes()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#field-grid-ghostBatchSize").InputAsync(new ChangeEventArgs { Value = "128, 96" });

        var error = cut.Find("#error-grid-ghostBatchSize");
        Assert.Contains("ghostBatchSize 96 does not divide batchSize 128", error.TextContent);
        Assert.Contains("ghostBatchSize 96 does not divide batchSize 4096", error.TextContent);
        var input = cut.Find("#field-grid-ghostBatchSize");
        Assert.Contains("error-grid-ghostBatchSize", input.GetAttribute("aria-describedby"));
        Assert.Equal("true", input.GetAttribute("aria-invalid"));

        // The error sits right under its input, and the summary lists the invalid cells.
        // Looked up within one render: the project picker may re-render the form between two Find calls.
        Assert.NotNull(cut.Find("#error-grid-ghostBatchSize").ParentElement!.QuerySelector("#field-grid-ghostBatchSize"));
        Assert.Equal(2, cut.FindAll("#invalid-cells li").Count);
        Assert.Contains("rejected", cut.Find("#invalid-title").TextContent);

        // Skipping invalid cells turns the error into skipped cells.
        await cut.Find("#field-skipInvalidCells").ChangeAsync(new ChangeEventArgs { Value = true });
        Assert.Empty(cut.FindAll("#error-grid-ghostBatchSize"));
        Assert.Contains("skipped", cut.Find("#invalid-title").TextContent);
        Assert.Null(cut.Find("#field-grid-ghostBatchSize").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task The_invalid_cells_error_offers_a_button_that_skips_them_instead_of_naming_the_api_field()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#field-grid-ghostBatchSize").InputAsync(new ChangeEventArgs { Value = "128, 96" });
        var error = cut.Find("#error-grid-ghostBatchSize");
        Assert.Contains("ghostBatchSize 96 does not divide batchSize 128", error.TextContent);
        Assert.DoesNotContain("skipInvalidCells", error.TextContent);
        Assert.NotNull(error.QuerySelector("#skip-invalid-cells"));

        await cut.Find("#skip-invalid-cells").ClickAsync(new MouseEventArgs());

        Assert.True(cut.Find("#field-skipInvalidCells").HasAttribute("checked"));
        Assert.Empty(cut.FindAll("#error-grid-ghostBatchSize"));
        Assert.Contains("skipped", cut.Find("#invalid-title").TextContent);
    }

    [Fact]
    public async Task Input_that_is_not_a_number_is_reported_next_to_its_field()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#field-grid-batchSize").InputAsync(new ChangeEventArgs { Value = "128, 12a" });
        await cut.Find("#field-grid-regimeMultiplier").InputAsync(new ChangeEventArgs { Value = "1, often" });
        await cut.Find("#field-training-learningRate").InputAsync(new ChangeEventArgs { Value = "0,1x" });

        Assert.Contains("\"12a\" is not a whole number.", cut.Find("#error-grid-batchSize").TextContent);
        Assert.Contains("\"often\" is neither a number nor \"auto\"", cut.Find("#error-grid-regimeMultiplier").TextContent);
        Assert.Contains("is not a number", cut.Find("#error-training-learningRate").TextContent);
        Assert.Contains("error-training-learningRate", cut.Find("#field-training-learningRate").GetAttribute("aria-describedby"));

        // The values that parsed still count: 128 × {1}.
        Assert.StartsWith("1 cell", BuilderPage.CellCount(cut));
    }

    [Fact]
    public async Task A_preset_fills_the_whole_form()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#preset").ChangeAsync(new ChangeEventArgs { Value = "hoffer2017-resnet44-cifar10" });
        await cut.Find("#apply-preset").ClickAsync(new MouseEventArgs());

        Assert.Equal("Hoffer et al. 2017, Resnet44 on CIFAR-10", cut.Find("#field-name").GetAttribute("value"));
        Assert.Equal("resnet44", cut.Find("#field-model").GetAttribute("value"));
        Assert.Equal("cifar10", cut.Find("#field-dataset").GetAttribute("value"));
        Assert.Equal("128, 2048", cut.Find("#field-grid-batchSize").GetAttribute("value"));
        Assert.Equal("128, 2048", cut.Find("#field-grid-ghostBatchSize").GetAttribute("value"));
        Assert.Equal("1, auto", cut.Find("#field-grid-regimeMultiplier").GetAttribute("value"));
        Assert.True(cut.Find("#axis-lrScaling-none").HasAttribute("checked"));
        Assert.True(cut.Find("#axis-lrScaling-sqrt").HasAttribute("checked"));
        Assert.False(cut.Find("#axis-lrScaling-linear").HasAttribute("checked"));
        Assert.True(cut.Find("#field-skipInvalidCells").HasAttribute("checked"));
        Assert.Equal("200", cut.Find("#field-training-epochs").GetAttribute("value"));
        Assert.Equal("81, 122, 164", cut.Find("#field-training-lrDropEpochs").GetAttribute("value"));

        // SB twice (none, sqrt), and 2048 × {128, 2048} × {1, 16} × {none, sqrt}; (128, 2048) is skipped.
        Assert.StartsWith("10 cells", BuilderPage.CellCount(cut));
        Assert.Contains("92.83 %", cut.Find("#preset-info").TextContent);
        Assert.Empty(cut.FindAll("[aria-invalid=true]"));
    }

    [Fact]
    public async Task The_f1_preset_says_the_paper_used_mnist()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#preset").ChangeAsync(new ChangeEventArgs { Value = "hoffer2017-f1-fashion-mnist" });
        await cut.Find("#apply-preset").ClickAsync(new MouseEventArgs());

        Assert.Equal("128, 4096", cut.Find("#field-grid-batchSize").GetAttribute("value"));
        Assert.Equal("128, 4096", cut.Find("#field-grid-ghostBatchSize").GetAttribute("value"));
        Assert.Contains("MNIST", cut.Find("#preset-info .note").TextContent);
        Assert.StartsWith("10 cells", BuilderPage.CellCount(cut));
    }

    [Fact]
    public async Task Changing_the_model_refills_its_regime()
    {
        using var context = db.CreateContext();
        var cut = BuilderPage.Render(context);

        await cut.Find("#field-model").ChangeAsync(new ChangeEventArgs { Value = "c1" });

        Assert.Equal("cifar10", cut.Find("#field-dataset").GetAttribute("value"));
        Assert.Equal("200", cut.Find("#field-training-epochs").GetAttribute("value"));
        Assert.Equal("0.001", cut.Find("#field-training-learningRate").GetAttribute("value"));
        Assert.Equal("0", cut.Find("#field-training-momentum").GetAttribute("value"));
        Assert.Equal("0.0005", cut.Find("#field-training-weightDecay").GetAttribute("value"));
        Assert.Equal("60, 120, 180", cut.Find("#field-training-lrDropEpochs").GetAttribute("value"));
        Assert.Equal("10, 0.1, 0.1", cut.Find("#field-training-lrDropFactors").GetAttribute("value"));
    }
}

using Microsoft.AspNetCore.Components;
using Sweep.Web.Components.Forms;

namespace Sweep.Web.Tests.Components;

/// <summary>What a form's fields share: their messages, aria attributes, and which errors no field shows.</summary>
public sealed class FormFieldContextTests
{
    private static readonly Dictionary<string, string[]> Errors = new()
    {
        ["grid.ghostBatchSize"] = ["96 does not divide 128. Set it.", "96 does not divide 4096."],
        ["training.newSetting"] = ["Must be positive."],
        ["grid"] = ["Too many cells."],
    };

    private static FormFieldContext Context() =>
        new(path => Errors.TryGetValue(path, out var messages) ? messages : null, EventCallback.Empty)
        {
            Wording = message => message.Replace(" Set it.", ""),
        };

    [Fact]
    public void Errors_of_paths_no_field_registered_are_listed_in_order()
    {
        var context = Context();
        context.Register("grid.ghostBatchSize");

        Assert.Equal(
            [("training.newSetting", "Must be positive."), ("grid", "Too many cells.")],
            context.Unshown(Errors));

        context.Register("grid");
        context.Register("training.newSetting");
        Assert.Empty(context.Unshown(Errors));
    }

    [Fact]
    public void A_field_with_messages_is_invalid_and_described_by_its_hint_and_its_error()
    {
        var context = Context();

        Assert.Equal("true", context.Invalid("grid.ghostBatchSize"));
        Assert.Equal("hint-grid-ghostBatchSize error-grid-ghostBatchSize", context.Describe("grid.ghostBatchSize", "Each must divide B."));
        Assert.Equal("error-grid-ghostBatchSize", context.Describe("grid.ghostBatchSize", null));

        Assert.Null(context.Invalid("training.epochs"));
        Assert.Equal("hint-training-epochs", context.Describe("training.epochs", "Of the reference regime."));
        Assert.Null(context.Describe("training.epochs", null));
    }

    [Fact]
    public void Messages_are_shown_in_the_forms_wording()
    {
        var context = Context();

        Assert.Equal(["96 does not divide 128.", "96 does not divide 4096."], context.Shown("grid.ghostBatchSize"));
        Assert.Equal(["96 does not divide 128. Set it.", "96 does not divide 4096."], context.Messages("grid.ghostBatchSize"));
        Assert.Null(context.Shown("training.epochs"));
    }
}

using Sweep.Domain.Sweeps;

namespace Sweep.Domain.Tests;

public sealed class SweepTagsTests
{
    [Fact]
    public void Tags_are_trimmed_lower_cased_and_deduplicated_in_order()
    {
        var (tags, errors) = SweepTags.Normalize([" Baseline ", "gbn-v2", "baseline", "run_1.b"]);

        Assert.Empty(errors);
        Assert.Equal(["baseline", "gbn-v2", "run_1.b"], tags);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/no")]
    [InlineData("ümlaut")]
    [InlineData("<script>")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void A_bad_tag_is_a_field_error_at_its_index(string bad)
    {
        var (tags, errors) = SweepTags.Normalize(["ok", bad]);

        Assert.Equal(["ok"], tags);
        Assert.True(errors.ContainsKey("tags[1]"), string.Join(", ", errors.Keys));
    }

    [Fact]
    public void Thirty_two_characters_are_allowed_and_seventeen_tags_are_too_many()
    {
        Assert.Empty(SweepTags.Normalize([new string('a', 32)]).Errors);

        var (_, errors) = SweepTags.Normalize(Enumerable.Range(0, 17).Select(i => $"t{i}"));

        Assert.Contains("16", Assert.Single(errors["tags"]), StringComparison.Ordinal);
    }

    [Fact]
    public void No_tags_is_valid()
    {
        var (tags, errors) = SweepTags.Normalize(null);

        Assert.Empty(tags);
        Assert.Empty(errors);
    }
}

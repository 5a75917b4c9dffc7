using System.Net;
using AngleSharp.Html.Parser;
using Sweep.Web.Components;
using Sweep.Web.Tests.Security;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests;

/// <summary>
/// The compare page as the server renders it: both sweeps' heatmaps as tables and their difference B − A on the cells
/// both ran; a sweep the caller cannot read makes the whole page a 404 that names neither sweep.
/// </summary>
[Collection(SharedHost.Pages)]
public sealed class ComparePageTests(SweepWebFactory factory)
{
    [Fact]
    public async Task The_difference_table_holds_b_minus_a_where_both_sweeps_have_a_value()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var editor = factory.CreateClient(world.EditorB);
        // SweepB's grid is B ∈ {128, 256} × G = 128; the other sweep's B ∈ {128, 512}.
        var other = await CreateAsync(editor, $"other-{world.Tag}", world.SlugB);
        await CompleteAsync(world.SweepB, 128, 0.90);
        await CompleteAsync(world.SweepB, 256, 0.80);
        await CompleteAsync(other, 128, 0.95);
        await CompleteAsync(other, 512, 0.70);

        using var viewer = await world.SessionAsync(world.ViewerB);
        var response = await viewer.GetAsync($"/sweeps/{world.SweepB}/compare/{other}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        var a = Cells(document, "compare-table-a");
        var b = Cells(document, "compare-table-b");
        var diff = Cells(document, "compare-table-diff");
        Assert.Equal(2, a.Count(c => c.HasValue));
        Assert.Equal(2, b.Count(c => c.HasValue));

        // Columns 128, 256, 512: only B = 128 is in both.
        Assert.Equal(3, diff.Count);
        Assert.StartsWith(MetricLabels.Format("valAccuracy", 0.95 - 0.90), diff[0].Text, StringComparison.Ordinal);
        Assert.True(diff[0].HasValue);
        Assert.False(diff[1].HasValue);
        Assert.False(diff[2].HasValue);

        // The query form gives the same page.
        var byQuery = await viewer.GetStringAsync($"/compare?a={world.SweepB}&b={other}");
        Assert.Contains("compare-table-diff", byQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_the_caller_cannot_read_makes_the_page_not_found()
    {
        var world = await SecurityWorld.CreateAsync(factory);
        using var ownerA = factory.CreateClient(world.OwnerA);
        var own = await CreateAsync(ownerA, $"own-{world.Tag}", world.SlugA);
        using var session = await world.SessionAsync(world.OwnerA);

        foreach (var path in new[] { $"/sweeps/{own}/compare/{world.SweepB}", $"/sweeps/{world.SweepB}/compare/{own}", $"/compare?a={own}&b={world.SweepB}" })
        {
            var response = await session.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} → {(int)response.StatusCode}");
            Assert.DoesNotContain(world.SweepBName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private sealed record Cell(string Text, bool HasValue);

    private static List<Cell> Cells(AngleSharp.Html.Dom.IHtmlDocument document, string id) =>
        document.GetElementById(id)!.QuerySelectorAll("tbody td")
            .Select(td => new Cell(td.TextContent.Trim(), td.ClassList.Contains("cell-value")))
            .ToList();

    private static async Task<Guid> CreateAsync(HttpClient client, string name, string project)
    {
        var response = await client.PostAsync("/api/v1/sweeps", new StringContent($$$"""
            {"name":"{{{name}}}","project":"{{{project}}}","grid":{"batchSize":[128,512],"ghostBatchSize":[128]},"training":{"epochs":1,"lrDropEpochs":[],"seeds":[1]}}
            """, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content)).GetProperty("id").GetGuid();
    }

    /// <summary>Marks the sweep's trial at batch size <paramref name="batch"/> completed with a validation accuracy.</summary>
    private Task<long> CompleteAsync(Guid sweep, int batch, double accuracy) =>
        factory.Database.ScalarAsync<long>(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"UPDATE trials SET state = 'completed', final_val_accuracy = {accuracy} WHERE sweep_id = '{sweep}' AND batch_size = {batch} RETURNING 1::bigint"));
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Testing;
using Sweep.Web.Examples;

namespace Sweep.Web.Tests;

/// <summary>
/// The guards on the published example sweeps (examples/, the study of docs/reproduction.md): no trial they report
/// may carry a running-statistics or few-updates flag.
/// </summary>
public sealed class ShippedExampleGuardsTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    [Fact]
    public async Task The_published_studys_trials_carry_no_running_statistics_or_few_updates_flag()
    {
        using var withExamples = factory.WithWebHostBuilder(b => b.UseSetting("Examples:Folder", Path.Combine(RepositoryPaths.Root, "examples")));
        var client = withExamples.CreateClient();
        await withExamples.Services.GetRequiredService<ExampleLoader>().LoadAsync(CancellationToken.None);
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps?name={Uri.EscapeDataString("Reproduction (full)")}&limit=100");
        var sweeps = list.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(4, sweeps.Count); // the table, the running statistics and the two heatmaps

        var completed = 0;
        foreach (var id in sweeps)
        {
            var rows = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}/export/trials.json");
            foreach (var trial in rows.EnumerateArray().Where(t => t.GetProperty("state").GetString() == "completed"))
            {
                var flags = trial.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
                Assert.DoesNotContain("running-stats", flags);
                Assert.DoesNotContain("few-updates", flags);
                completed++;
            }
        }

        Assert.True(completed >= 40, $"{completed} completed trials in the published study");
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sweep.Testing;
using Sweep.Web.Examples;

namespace Sweep.Web.Tests;

/// <summary>
/// The guards on an archive that predates them: the first study (kept as a test fixture since the full-data study
/// replaced it in examples/) ran its large-batch cells for 12 updates, so its LB and +LR trials must carry the
/// running-statistics flag (derived from their steps), the train/eval mismatch (train-mode accuracy 67–83 % against
/// 39–59 % in eval mode) and few updates; +GBN few updates; SB and +RA none.
/// </summary>
public sealed class PreGuardExampleTests(SweepWebFactory factory) : IClassFixture<SweepWebFactory>
{
    [Fact]
    public async Task The_old_studys_LB_and_LR_cells_are_flagged_and_SB_and_RA_are_not()
    {
        var fixture = Path.Combine(RepositoryPaths.Root, "tests", "Web.Tests", "Fixtures", "pre-guard-study");
        using var withExamples = factory.WithWebHostBuilder(b => b.UseSetting("Examples:Folder", fixture));
        var client = withExamples.CreateClient();
        await withExamples.Services.GetRequiredService<ExampleLoader>().LoadAsync(CancellationToken.None);
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps?name={Uri.EscapeDataString("Reproduction (full)")}&limit=100");
        var table = list.GetProperty("items").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString()!.Contains("SB / LB / +LR", StringComparison.Ordinal)).GetProperty("id").GetGuid();

        var sweep = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{table}");
        var completed = sweep.GetProperty("trials").EnumerateArray().Where(t => t.GetProperty("state").GetString() == "completed").ToList();
        static List<string> Flags(JsonElement t) => t.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList();
        static bool Is(JsonElement t, int b, int g, double r) =>
            t.GetProperty("batchSize").GetInt32() == b && t.GetProperty("ghostBatchSize").GetInt32() == g && t.GetProperty("regimeMultiplier").GetDouble() == r;

        var large = completed.Where(t => Is(t, 4096, 4096, 1)).ToList();
        Assert.Equal(4, large.Count); // LB and +LR, two seeds each
        Assert.All(large, t => Assert.Equal(["running-stats", "train-eval-mismatch", "few-updates"], Flags(t)));
        Assert.All(completed.Where(t => Is(t, 4096, 128, 1)), t => Assert.Equal(["few-updates"], Flags(t)));
        Assert.All(completed.Where(t => Is(t, 128, 128, 1) || Is(t, 4096, 128, 32)), t => Assert.Empty(Flags(t)));

        // The exports carry the same flags.
        var rows = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{table}/export/trials.json");
        var exported = rows.EnumerateArray().Where(t => t.GetProperty("state").GetString() == "completed").ToList();
        Assert.All(exported.Where(t => Is(t, 4096, 4096, 1)), t => Assert.Equal(["running-stats", "train-eval-mismatch", "few-updates"], Flags(t)));
        Assert.All(exported.Where(t => Is(t, 128, 128, 1)), t => Assert.Empty(Flags(t)));
    }
}

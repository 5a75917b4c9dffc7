using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Domain.Presets;
using Sweep.Domain.Sweeps;
using Sweep.Web.Tests.SharedHosts;

namespace Sweep.Web.Tests.Components;

/// <summary>The pages as the real app serves them (prerendered HTML), over a migrated database.</summary>
[Collection(SharedHost.Pages)]
public sealed class PageRenderingTests(SweepWebFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<Guid> CreateAsync(SweepRequest request)
    {
        // Unset settings are left out, as a client would: an explicit null gradientClipNorm turns clipping off.
        var options = new JsonSerializerOptions(SweepJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        var response = await _client.PostAsJsonAsync("/api/v1/sweeps", request, options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task The_list_shows_sweeps_and_a_new_sweep_button()
    {
        await CreateAsync(PaperPresets.Find("hoffer2017-f1-mnist")!.Request);

        var html = await _client.GetStringAsync("/?q=F1%20on%20MNIST");

        Assert.Contains("Hoffer et al. 2017, F1 on MNIST", html);
        Assert.Contains("href=\"/sweeps/new\"", html);
        Assert.Contains("class=\"statebar\"", html);
    }

    [Fact]
    public async Task The_builder_renders_with_the_papers_defaults()
    {
        var html = await _client.GetStringAsync("/sweeps/new");

        Assert.Contains("id=\"field-grid-ghostBatchSize\"", html);
        Assert.Contains("Hoffer et al. 2017, F1 on Fashion-MNIST", html);
        Assert.Contains("3 cells", html);
    }

    [Fact]
    public async Task A_sweep_of_the_papers_configurations_shows_the_reproduction_table_and_a_clone_link()
    {
        var id = await CreateAsync(PaperPresets.Find("hoffer2017-f1-fashion-mnist")!.Request);

        var html = await _client.GetStringAsync($"/sweeps/{id}");

        Assert.Contains("id=\"reproduction-table\"", html);
        Assert.Contains("paper: F1 on MNIST", html);
        Assert.Contains($"href=\"/sweeps/new?from={id}\"", html);

        var clone = await _client.GetStringAsync($"/sweeps/new?from={id}");
        Assert.Contains("Hoffer et al. 2017, F1 on Fashion-MNIST (copy)", clone);
    }

    [Fact]
    public async Task A_sweep_without_them_has_no_reproduction_section()
    {
        var id = await CreateAsync(new SweepRequest { Name = "no-paper", Grid = new GridSpec { BatchSize = [256], GhostBatchSize = [64] } });

        var html = await _client.GetStringAsync($"/sweeps/{id}");

        Assert.DoesNotContain("reproduction-table", html);
        Assert.Contains("no-paper", html);
    }
}

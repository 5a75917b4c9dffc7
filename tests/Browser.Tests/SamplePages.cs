using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sweep.Browser.Tests;

/// <summary>
/// The pages the layout and accessibility checks visit, with real content: one finished sweep (two completed trials,
/// so that the heatmap, the curves and the trial tables are drawn), one of its trials and a share link to it. Made
/// once per browser fixture, because training is the slow part and every check reads the same pages.
/// </summary>
public sealed record SamplePages(Guid SweepId, Guid TrialId, string ShareToken)
{
    /// <summary>A long unbroken name, as real sweeps have (the published examples' names are of this kind).</summary>
    public const string SweepName = "hoffer2017-f1-fashion-mnist-heatmap-phone-layout";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, SamplePages> ByFixture = [];

    /// <summary>Address of each page by the short name the tests use.</summary>
    public string PathOf(string page) => page switch
    {
        "list" => "/",
        "builder" => "/sweeps/new",
        "sweep" => $"/sweeps/{SweepId}",
        "trial" => $"/trials/{TrialId}",
        "account" => "/account",
        "share-links" => $"/sweeps/{SweepId}/share",
        "shared-sweep" => $"/s/{ShareToken}",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, "unknown page"),
    };

    /// <summary>A selector that is on the page once its content (not just the layout) has rendered.</summary>
    public static string ContentOf(string page) => page switch
    {
        "list" => "#sweeps",
        "builder" => "form.builder[data-interactive=true]",
        "sweep" or "shared-sweep" => "#heatmap .main-svg",
        "trial" => "#trial-facts",
        "account" => "#tokens",
        "share-links" => "#share-links",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, "unknown page"),
    };

    public static async Task<SamplePages> GetAsync(BrowserFixture fixture)
    {
        await Gate.WaitAsync();
        try
        {
            if (!ByFixture.TryGetValue(fixture.BaseUrl, out var pages))
            {
                pages = await CreateAsync(fixture);
                ByFixture[fixture.BaseUrl] = pages;
            }

            return pages;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<SamplePages> CreateAsync(BrowserFixture fixture)
    {
        using var http = fixture.ApiClient();
        var body = $$$"""
            {"name":"{{{SweepName}}}","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[64,128],"ghostBatchSize":[32],"regimeMultiplier":[1]},
             "training":{"epochs":1,"lrDropEpochs":[],"seeds":[1],"trainSubset":512}}
            """;
        var response = await http.PostAsync("/api/v1/sweeps", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deadline = DateTime.UtcNow.AddMinutes(4);
        JsonElement sweep;
        while (true)
        {
            sweep = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{id}");
            if (sweep.GetProperty("trials").EnumerateArray().All(t => t.GetProperty("state").GetString() == "completed"))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sample sweep {id} did not complete: {sweep}");
            }

            await Task.Delay(1_000);
        }

        var trialId = sweep.GetProperty("trials")[0].GetProperty("id").GetGuid();
        var share = await http.PostAsync($"/api/v1/sweeps/{id}/share-links", new StringContent("{}", Encoding.UTF8, "application/json"));
        share.EnsureSuccessStatusCode();
        var token = (await share.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return new SamplePages(id, trialId, token);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sweep.Domain.Webhooks;
using Sweep.Testing;

namespace Sweep.Web.Tests.Webhooks;

/// <summary>What the webhook tests do through the API and the state commands, and how they check a delivery.</summary>
internal static class WebhookSteps
{
    public static async Task<(Guid Id, string Secret)> CreateHookAsync(HttpClient client, string project, string url, string[] events, string preset = "json")
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{project}/webhooks", new { url, events, preset });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("webhook").GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    /// <summary>Claims the sweep's trial and ends it as failed with <paramref name="kind"/>, as a worker would.</summary>
    public static async Task FailAsync(TestCommands commands, Guid trialId, string kind, string error = "boom")
    {
        var lease = await commands.Trials.ClaimAsync(trialId, "test-worker", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(lease);
        Assert.True(await commands.Trials.FailAsync(lease, kind, error, CancellationToken.None));
    }

    public static async Task CompleteAsync(TestCommands commands, Guid trialId)
    {
        var lease = await commands.Trials.ClaimAsync(trialId, "test-worker", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(lease);
        Assert.True(await commands.Trials.CompleteAsync(lease, 1, new Dictionary<string, double>(), CancellationToken.None));
    }

    public static async Task<List<Guid>> TrialIdsAsync(HttpClient client, Guid sweepId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/sweeps/{sweepId}")).GetProperty("trials").EnumerateArray()
            .Select(t => t.GetProperty("id").GetGuid()).ToList();

    /// <summary>The receiver's own check, as docs/api.md tells receivers to do it: signature over "t.body", fresh timestamp.</summary>
    public static void AssertSigned(WebhookReceiver.Received received, string secret)
    {
        var header = received.Headers[WebhookSignature.SignatureHeader];
        Assert.Equal(WebhookVerification.Valid, WebhookSignature.Verify(secret, header, received.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
        Assert.StartsWith($"t={received.Headers[WebhookSignature.TimestampHeader]},v1=", header, StringComparison.Ordinal);
        Assert.Equal(WebhookVerification.BadSignature, WebhookSignature.Verify("swh_another-secret-of-sufficient-length", header, received.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
    }

    public static JsonElement Json(this WebhookReceiver.Received received) => JsonDocument.Parse(received.Body).RootElement;
}

using System.Globalization;
using System.Text;
using Sweep.Domain.Webhooks;

namespace Sweep.Web.Webhooks;

/// <summary>
/// POSTs one claimed delivery: the preset's body, signed (<see cref="WebhookSignature"/>), with the event type and the
/// delivery id (the same on every retry, for the receiver to drop duplicates). 2xx is delivered; anything else,
/// a redirect included (the client follows none), is a failure to retry.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecrets secrets, TimeProvider clock)
{
    public const string ClientName = "webhooks";

    public const string EventHeader = "Sweep-Event";

    public const string DeliveryHeader = "Sweep-Delivery";

    /// <summary>The status code (null when none came back) and, for a failure, why.</summary>
    public async Task<(bool Delivered, int? StatusCode, string? Error)> SendAsync(ClaimedDelivery delivery, CancellationToken ct)
    {
        var body = WebhookPayloads.Body(delivery.Preset, delivery.Payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        string secret;
        try
        {
            secret = secrets.Unprotect(delivery.ProtectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (false, null, "The hook's secret cannot be decrypted with this deployment's data-protection keys; recreate the hook.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(EventHeader, delivery.EventType);
        request.Headers.Add(DeliveryHeader, delivery.Id.ToString());
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (true, code, null) : (false, code, $"The receiver answered {code} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException ex)
        {
            return (false, null, $"No response: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, null, "No response within the timeout.");
        }
    }
}

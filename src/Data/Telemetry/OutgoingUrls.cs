using System.Diagnostics;

namespace Sweep.Data.Telemetry;

/// <summary>
/// Outgoing requests are webhook deliveries, and a webhook's address is often its secret (a Slack or Teams incoming
/// webhook carries its key in the path). Spans keep the scheme, host and port only, so that a trace backend never
/// holds a working webhook address.
/// </summary>
public static class OutgoingUrls
{
    public const string UrlFull = "url.full";

    public static void Redact(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            activity.SetTag(UrlFull, uri.GetLeftPart(UriPartial.Authority) + "/[redacted]");
        }
    }
}

namespace Sweep.Web.Webhooks;

/// <summary>The delivery service's log lines. They name the hook by id, never its URL's query or its secret.</summary>
internal static partial class WebhookDeliveryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {EventType} to webhook {WebhookId} on attempt {Attempt}, {LatencyMs:F0} ms after the event.")]
    public static partial void Delivered(this ILogger logger, string eventType, Guid webhookId, int attempt, double latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {EventType} to webhook {WebhookId} failed on attempt {Attempt}: {Error}")]
    public static partial void DeliveryFailed(this ILogger logger, string eventType, Guid webhookId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook delivery pass failed; the next one retries.")]
    public static partial void PassFailed(this ILogger logger, Exception exception);
}

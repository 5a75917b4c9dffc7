using Sweep.Data.Entities;

namespace Sweep.Web.Webhooks;

/// <summary>One row of a hook's delivery log.</summary>
public sealed record WebhookDeliveryView(
    Guid Id, string EventType, string State, int Attempts, DateTimeOffset NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt)
{
    internal static WebhookDeliveryView Of(WebhookDeliveryRecord d) =>
        new(d.Id, d.EventType, d.State, d.Attempts, d.NextAttemptAt, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt);
}

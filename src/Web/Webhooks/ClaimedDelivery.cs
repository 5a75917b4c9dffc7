namespace Sweep.Web.Webhooks;

/// <summary>A due outbox row the delivery service claimed, with what it needs to send it.</summary>
public sealed record ClaimedDelivery(Guid Id, Guid WebhookId, string EventType, string Payload, int Attempts, DateTimeOffset CreatedAt, string Url, string ProtectedSecret, string Preset);

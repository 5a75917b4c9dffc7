namespace Sweep.Data.Entities;

/// <summary>
/// One event for one webhook: the outbox row, written in the transaction that made the event, so that a restart
/// never loses it, and the delivery log the owner reads. The web's delivery service claims due pending rows.
/// </summary>
public sealed class WebhookDeliveryRecord
{
    public Guid Id { get; set; }

    public Guid WebhookId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The event as JSON (json, not jsonb: kept as written, in the builder's key order): what a <c>json</c> hook receives as its body.</summary>
    public required string Payload { get; set; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c> (no attempts left).</summary>
    public required string State { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the row is due; while an attempt is under way, the end of that attempt's lease.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public WebhookRecord? Webhook { get; set; }
}

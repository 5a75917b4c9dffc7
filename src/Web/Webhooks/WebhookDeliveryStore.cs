using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Domain.Webhooks;

namespace Sweep.Web.Webhooks;

/// <summary>
/// The delivery service's reads and writes of the outbox. A claim is a lease, not a held lock: it bumps the row's
/// attempts and pushes its due time past the attempt (twice the POST timeout), in a statement of its own, so no
/// transaction stays open across a POST; a replica that dies mid-POST leaves the row pending, due again when the
/// lease ends. SKIP LOCKED lets replicas claim side by side without taking each other's rows.
/// </summary>
public sealed class WebhookDeliveryStore(IDbContextFactory<SweepDbContext> contexts, IOptions<WebhookOptions> options)
{
    /// <summary>Columns come back in snake case: SqlQuery maps unmapped types by the model's naming convention.</summary>
    public async Task<List<ClaimedDelivery>> ClaimAsync(CancellationToken ct)
    {
        var o = options.Value;
        var lease = o.TimeoutSeconds * 2.0;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.SqlQuery<ClaimedDelivery>(
            $"""
            WITH due AS (
                SELECT id FROM webhook_deliveries
                 WHERE state = 'pending' AND next_attempt_at <= now()
                 ORDER BY next_attempt_at
                 LIMIT {o.BatchSize}
                   FOR UPDATE SKIP LOCKED)
            UPDATE webhook_deliveries d
               SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => {lease})
              FROM due, webhooks w
             WHERE d.id = due.id AND w.id = d.webhook_id
            RETURNING d.id, d.webhook_id, d.event_type, d.payload::text AS payload, d.attempts, d.created_at,
                      w.url, w.protected_secret, w.preset
            """).ToListAsync(ct);
    }

    public async Task DeliveredAsync(Guid id, int statusCode, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE webhook_deliveries SET state = 'delivered', delivered_at = now(), last_status_code = {statusCode}, last_error = NULL
             WHERE id = {id} AND state = 'pending'
            """,
            ct);
    }

    /// <summary>Schedules the next attempt after the backoff, or marks the row failed once its attempts are spent.</summary>
    public async Task FailedAsync(ClaimedDelivery delivery, int? statusCode, string error, CancellationToken ct)
    {
        var o = options.Value;
        var backoff = WebhookBackoff.After(delivery.Attempts, TimeSpan.FromMilliseconds(o.InitialBackoffMilliseconds), TimeSpan.FromSeconds(o.MaxBackoffSeconds)).TotalSeconds;
        var message = error.Length > 1000 ? error[..1000] : error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE webhook_deliveries
               SET state = CASE WHEN attempts >= {o.MaxAttempts} THEN 'failed' ELSE 'pending' END,
                   next_attempt_at = now() + make_interval(secs => {backoff}),
                   last_status_code = {statusCode}, last_error = {message}
             WHERE id = {delivery.Id} AND state = 'pending'
            """,
            ct);
    }
}

using Microsoft.Extensions.Options;

namespace Sweep.Web.Webhooks;

/// <summary>
/// Delivers the outbox (docs/decisions/0012): claims due rows, POSTs them side by side, records each outcome, and
/// loops at once while there is work, else waits <see cref="WebhookOptions.PollMilliseconds"/>. A stop cancels the
/// POSTs in flight without recording them: their rows stay pending and are due again when their lease ends.
/// </summary>
public sealed class WebhookDeliveryService(
    WebhookDeliveryStore store, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDeliveryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Deliver)
        {
            return;
        }

        var idle = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            int delivered;
            try
            {
                delivered = await PassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.PassFailed(ex);
                delivered = 0;
            }

            if (delivered == 0)
            {
                try
                {
                    await Task.Delay(idle, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One claim and its POSTs; returns how many rows it claimed.</summary>
    public async Task<int> PassAsync(CancellationToken ct)
    {
        var claimed = await store.ClaimAsync(ct);
        await Task.WhenAll(claimed.Select(d => DeliverAsync(d, ct)));
        return claimed.Count;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken ct)
    {
        var (ok, code, error) = await sender.SendAsync(delivery, ct);
        if (ok)
        {
            await store.DeliveredAsync(delivery.Id, code!.Value, CancellationToken.None);
            var latency = clock.GetUtcNow() - delivery.CreatedAt;
            logger.Delivered(delivery.EventType, delivery.WebhookId, delivery.Attempts, latency.TotalMilliseconds);
        }
        else
        {
            await store.FailedAsync(delivery, code, error!, CancellationToken.None);
            logger.DeliveryFailed(delivery.EventType, delivery.WebhookId, delivery.Attempts, error!);
        }
    }
}

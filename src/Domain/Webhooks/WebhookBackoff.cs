namespace Sweep.Domain.Webhooks;

/// <summary>When a failed delivery is tried again: <c>initial · 2^(attempts − 1)</c>, capped at <c>max</c>.</summary>
public static class WebhookBackoff
{
    public static TimeSpan After(int attempts, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var delay = initial.TotalMilliseconds * Math.Pow(2, exponent);
        return delay >= max.TotalMilliseconds ? max : TimeSpan.FromMilliseconds(delay);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Sweep.Web.Webhooks;

/// <summary>The delivery service's settings (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often an idle service looks for due rows; a busy one loops at once.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>One POST's limit; the claim's lease is twice this, so a crashed attempt is retried after it.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The first retry's delay; each further one doubles it, up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(1, 3_600_000)]
    public int InitialBackoffMilliseconds { get; set; } = 1_000;

    [Range(1, 86_400)]
    public int MaxBackoffSeconds { get; set; } = 600;

    /// <summary>Attempts before a delivery is marked failed; with the defaults, about 1 h 40 min of retrying.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>Rows one pass claims.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>False: this replica does not deliver (another does); the API and the outbox still work.</summary>
    public bool Deliver { get; set; } = true;
}

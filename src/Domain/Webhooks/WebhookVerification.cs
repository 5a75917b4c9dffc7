namespace Sweep.Domain.Webhooks;

/// <summary>The outcome of <see cref="WebhookSignature.Verify"/>.</summary>
public enum WebhookVerification
{
    Valid,

    /// <summary>No <c>t=</c> or no <c>v1=</c> in the header.</summary>
    Malformed,

    /// <summary>The timestamp is too far from now: a replay, or a clock far off.</summary>
    OutsideTolerance,

    BadSignature,
}

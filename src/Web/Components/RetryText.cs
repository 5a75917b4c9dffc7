using System.Globalization;

namespace Sweep.Web.Components;

/// <summary>
/// What a retry does, worded from whether the trial has a checkpoint: a retry resumes from the checkpoint when there is
/// one and starts from the first epoch when there is none, so the page never promises a resume beside "No checkpoint".
/// </summary>
public static class RetryText
{
    /// <summary>Said after a retry was accepted.</summary>
    public static string Requeued(int? checkpointEpoch) => checkpointEpoch is { } epoch
        ? string.Create(CultureInfo.InvariantCulture, $"Requeued. It resumes from its checkpoint at epoch {epoch}.")
        : "Requeued. It starts from the first epoch: no checkpoint was saved.";

    /// <summary>Said beside the actions when there is no checkpoint; what a retry would do, when one is possible.</summary>
    public static string NoCheckpoint(bool retryable) =>
        retryable ? "No checkpoint yet: a retry starts from the first epoch." : "No checkpoint yet.";
}

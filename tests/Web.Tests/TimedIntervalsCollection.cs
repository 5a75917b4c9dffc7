namespace Sweep.Web.Tests;

/// <summary>
/// Tests that compare intervals of the app's own timers (the webhook outbox's polling and backoff, a few hundred
/// milliseconds in their factory) or stop a host between two of its ticks. They run alone: beside the other classes,
/// the CPU load on 2 cores stretched one interval past the next and failed them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedIntervalsCollection
{
    public const string Name = "Timed intervals";
}

namespace Sweep.Data.Entities;

/// <summary>
/// A piece of one attempt's trainer output (stdout or stderr), as the worker flushed it: about a second's lines.
/// The worker keeps a bounded tail per attempt (WorkerOptions.TrialLogTailBytes) by deleting the oldest chunks, so
/// the log of a long trial costs at most that much. <see cref="Id"/> orders chunks across both streams and is the
/// cursor the logs API pages by.
/// </summary>
public sealed class TrialLogChunk
{
    public long Id { get; set; }

    public Guid TrialId { get; set; }

    /// <summary>The attempt's number (<see cref="TrialAttemptRecord.Number"/>).</summary>
    public int Attempt { get; set; }

    /// <summary>stdout or stderr.</summary>
    public required string Stream { get; set; }

    /// <summary>Where the chunk starts in its stream of this attempt, in UTF-8 bytes (counting chunks since deleted).</summary>
    public long StreamOffset { get; set; }

    /// <summary>Whole lines, each ending in a newline.</summary>
    public required string Text { get; set; }

    /// <summary>The UTF-8 length of <see cref="Text"/>, which the tail bound sums.</summary>
    public int Bytes { get; set; }

    public DateTimeOffset At { get; set; }
}

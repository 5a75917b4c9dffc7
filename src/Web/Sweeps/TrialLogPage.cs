namespace Sweep.Web.Sweeps;

/// <summary>
/// One page of an attempt's trainer output: the attempt it is from (null before any worker started the trial), its
/// chunks in flush order, and the cursor to pass back for what comes next.
/// </summary>
public sealed record TrialLogPage(int? Attempt, IReadOnlyList<TrialLogChunkView> Chunks, string Cursor)
{
    /// <summary>The chunks' text, in order: what the text/plain variant returns (the JSON variant has the chunks).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Text => string.Concat(Chunks.Select(c => c.Text));
}

/// <summary>Whole lines of one stream (stdout or stderr), where they start in it (UTF-8 bytes), and when they were stored.</summary>
public sealed record TrialLogChunkView(string Stream, long Offset, string Text, DateTimeOffset At);

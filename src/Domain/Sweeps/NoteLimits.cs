namespace Sweep.Domain.Sweeps;

/// <summary>How long a sweep's or trial's Markdown note may be.</summary>
public static class NoteLimits
{
    /// <summary>64 KiB of text: a page of findings, not a data dump (the note is rendered on every view).</summary>
    public const int MaxCharacters = 64 * 1024;

    /// <summary>Why the note is not valid, or null.</summary>
    public static string? Problem(string? markdown) =>
        markdown is { Length: > MaxCharacters }
            ? $"A note has at most {MaxCharacters} characters (64 KiB); got {markdown.Length}."
            : null;
}

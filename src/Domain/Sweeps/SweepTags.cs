namespace Sweep.Domain.Sweeps;

/// <summary>
/// A sweep's tags: lower-case labels of 1–32 characters from [a-z0-9-_.], at most 16, so that they can be matched
/// exactly in a URL (?tag=x) and in SQL without escaping. Upper case is folded, not rejected; duplicates collapse.
/// </summary>
public static class SweepTags
{
    public const int MaxCount = 16;

    public const int MaxLength = 32;

    /// <summary>The tags normalized (trimmed, lower-case, de-duplicated, in the order given), or the field errors.</summary>
    public static (IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string[]> Errors) Normalize(IEnumerable<string?>? tags, string field = "tags")
    {
        var errors = new Dictionary<string, string[]>();
        var result = new List<string>();
        var index = 0;
        foreach (var raw in tags ?? [])
        {
            var tag = (raw ?? "").Trim().ToLowerInvariant();
            if (Problem(tag) is { } problem)
            {
                errors[$"{field}[{index}]"] = [problem];
            }
            else if (!result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }

            index++;
        }

        if (result.Count > MaxCount)
        {
            errors[field] = [$"A sweep has at most {MaxCount} tags; got {result.Count}."];
        }

        return (result, errors);
    }

    /// <summary>Why a (normalized) tag is not valid, or null.</summary>
    public static string? Problem(string tag)
    {
        if (tag.Length is 0 or > MaxLength)
        {
            return $"A tag has 1 to {MaxLength} characters; got {tag.Length}.";
        }

        return tag.All(IsAllowed) ? null : $"'{tag}' may only use a–z, 0–9, '-', '_' and '.'.";
    }

    private static bool IsAllowed(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
}

namespace Sweep.Reproduce;

/// <summary>Marked regions of a Markdown file that a tool owns: &lt;!-- generated:NAME --&gt; … &lt;!-- /generated:NAME --&gt;.</summary>
public static class GeneratedBlocks
{
    public static string Empty(string name) => $"<!-- generated:{name} -->\n<!-- /generated:{name} -->";

    /// <summary>Replaces the block's content; a document without that block gets it appended at the end.</summary>
    public static string Replace(string doc, string name, string content)
    {
        var open = $"<!-- generated:{name} -->";
        var close = $"<!-- /generated:{name} -->";
        var start = doc.IndexOf(open, StringComparison.Ordinal);
        var end = doc.IndexOf(close, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return doc.TrimEnd() + $"\n\n{open}\n{content}\n{close}\n";
        }

        return doc[..(start + open.Length)] + "\n" + content + "\n" + doc[end..];
    }
}

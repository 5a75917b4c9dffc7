namespace Sweep.Reproduce;

/// <summary>A Markdown table, built row by row; the first column is left-aligned, the others right-aligned.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", headers) + " |",
            "|" + string.Join("|", headers.Select((_, i) => i == 0 ? "---" : "---:")) + "|",
        };
        lines.AddRange(_rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join('\n', lines);
    }
}

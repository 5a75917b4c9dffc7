using AngleSharp.Html.Parser;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Tests;

/// <summary>
/// A note's Markdown renders to HTML with nothing that runs: whatever a note holds, the output has no script element,
/// no event-handler attribute and no javascript:, vbscript: or data: URL, checked on the parsed DOM (not on strings).
/// </summary>
public sealed class MarkdownNoteTests
{
    public static TheoryData<string> Attacks => new()
    {
        "<script>alert(1)</script>",
        "Text <script>alert(1)</script> inline",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">raw link</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1) )",
        "[click](java&#x09;script:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![img](javascript:alert(1))",
        "<javascript:alert(1)>",
        "<div onclick=\"alert(1)\">\n\n**bold**\n\n</div>",
        "<iframe src=\"https://evil.test\"></iframe>",
        "<svg onload=alert(1)><circle /></svg>",
        "<style>body{display:none}</style>",
        "[x](https://ok.test){onclick=alert(1)}",
        "# Title {#x onmouseover=alert(1)}",
        "<details open ontoggle=alert(1)>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void No_script_survives(string markdown)
    {
        var html = MarkdownNote.ToHtml(markdown);
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        Assert.Empty(document.QuerySelectorAll("script, iframe, svg, style, object, embed, form, input, details"));
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.LocalName} keeps {attribute.Name} in {html}");
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                Assert.False(value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), html);
                Assert.False(value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase), html);
                Assert.False(value.StartsWith("data:", StringComparison.OrdinalIgnoreCase), html);
                Assert.NotEqual("id", attribute.Name);
                Assert.NotEqual("style", attribute.Name);
            }
        }
    }

    [Fact]
    public void Raw_html_is_shown_as_text_not_dropped_silently()
    {
        var html = MarkdownNote.ToHtml("Before <script>alert(1)</script> after");

        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        Assert.Contains("<script>alert(1)</script>", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll("script"));
    }

    [Fact]
    public void Markdown_renders_with_links_marked_nofollow_noopener()
    {
        var html = MarkdownNote.ToHtml("""
            # Findings

            **Ghost BN** closes the gap at B = 4096; see [the paper](https://arxiv.org/abs/1705.08741).

            | B | acc |
            |---|-----|
            | 128 | 0.91 |

            - [x] rerun seeds
            - ~~old~~ note
            """);
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        Assert.Equal("Findings", document.QuerySelector("h1")!.TextContent);
        Assert.Equal("Ghost BN", document.QuerySelector("strong")!.TextContent);
        Assert.NotNull(document.QuerySelector("table td"));
        Assert.NotNull(document.QuerySelector("del"));
        var link = document.QuerySelector("a")!;
        Assert.Equal("https://arxiv.org/abs/1705.08741", link.GetAttribute("href"));
        Assert.Equal("nofollow noopener", link.GetAttribute("rel"));
    }

    [Fact]
    public void No_note_renders_as_nothing()
    {
        Assert.Equal("", MarkdownNote.ToHtml(null));
        Assert.Equal("", MarkdownNote.ToHtml("  \n"));
    }
}

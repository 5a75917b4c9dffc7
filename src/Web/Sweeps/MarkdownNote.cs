using Ganss.Xss;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.GenericAttributes;

namespace Sweep.Web.Sweeps;

/// <summary>
/// Renders a note's Markdown to HTML that is safe to put in a page. Two independent layers: Markdig with raw HTML
/// disabled (an HTML block or inline tag comes out as text), then HtmlSanitizer over Markdig's output with a short
/// allow-list, which removes what Markdown itself can express unsafely (javascript: and data: links, images).
/// Links get rel="nofollow noopener": a note's author is not the page's.
/// </summary>
public static class MarkdownNote
{
    private static readonly string[] Tags =
    [
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ];

    private static readonly string[] Attributes = ["href", "src", "alt", "title", "class", "colspan", "rowspan", "start"];

    private static readonly string[] Schemes = ["http", "https", "mailto"];

    // After the lists above: static fields initialize in order, and the sanitizer reads them.
    private static readonly MarkdownPipeline Pipeline = BuildPipeline();

    // Sanitize is safe to call concurrently once configured; the instance is never changed after this.
    private static readonly HtmlSanitizer Sanitizer = BuildSanitizer();

    /// <summary>The note as sanitized HTML; empty for no note.</summary>
    public static string ToHtml(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    private static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder().DisableHtml().UseAdvancedExtensions();

        // Not from a note: {#id .class onclick=…} attributes and heading ids, which could collide with the page's own ids.
        builder.Extensions.RemoveAll(e => e is GenericAttributesExtension or AutoIdentifierExtension);
        return builder.Build();
    }

    private static HtmlSanitizer BuildSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(Attributes, StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(Schemes, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("rel", "nofollow noopener");
            }
        };
        return sanitizer;
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sweep.Web.Hosting;

/// <summary>
/// What the OpenAPI document (and so the reference page at /scalar/v1) says about signing in: API calls carry a
/// personal access token as a bearer header, made on the account page. The scheme lets the reference's "Test request"
/// form send one.
/// </summary>
public sealed class ApiReferenceDocument : IOpenApiDocumentTransformer
{
    public const string SchemeName = "personalAccessToken";

    public const string ShareLinkSchemeName = "shareLink";

    public const string ShareLinkAuthentication =
        "A share link's token (the `sws_…` segment of `/s/{token}`) reads the one sweep it shares, its trials and their " +
        "results, and nothing else: send it as `Authorization: Bearer <token>`; a browser that opened the link sends it as " +
        "the `sweep_share` cookie.";

    public const string Authentication =
        "Every call under /api/v1 sends a personal access token in the header `Authorization: Bearer <token>`. " +
        "Create one on your account page (/account, \"Personal access tokens\"): a read token only reads; a read-write " +
        "token can also create and control sweeps where your project role allows it. The token is shown once, when it " +
        "is created. A share link's results are read with the link itself, without a token.";

    /// <summary>What each group of operations is for, as the reference page's section headings say it.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Sweeps"] = "Create a sweep from a grid spec, read it with its trials and heatmaps, and control it (pause, resume, cancel, extend, retry, delete).",
        ["Trials"] = "One grid cell and seed: its configuration, metric history, checkpoint, priority, cancel and retry.",
        ["Curves"] = "Learning curves and the weight distance ‖w − w0‖ of a sweep's trials, downsampled for plotting.",
        ["Export"] = "Whole-sweep downloads: trials, per-cell aggregates over seeds and the metric history as CSV or JSON, and the sweep archive.",
        ["Projects"] = "Projects, their visibility and their members' roles.",
        ["Invites"] = "Single-use invite links to the deployment or to a project.",
        ["Sharing"] = "Read-only share links to one sweep's results.",
        ["Tokens"] = "The caller's personal access tokens.",
        ["Workers"] = "The workers that train trials: their state and heartbeat, pause and resume, and the checkpoint storage they use.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "Sweep API";
        document.Info.Description = "## Authentication\n\n" + Authentication + "\n\nThe full guide is docs/api.md.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "personal access token",
            Description = Authentication,
        };
        document.Components.SecuritySchemes[ShareLinkSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "share link token",
            Description = ShareLinkAuthentication,
        };

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }

        // Security is declared per operation (ApiAccessDocumentation), from the rules the middleware enforces.
        document.Security = null;

        // The server is the address the document was read from; a trailing slash would double it in every path.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    }
}

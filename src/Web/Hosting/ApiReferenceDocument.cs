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

    public const string Authentication =
        "Every call under /api/v1 sends a personal access token in the header `Authorization: Bearer <token>`. " +
        "Create one on your account page (/account, \"Personal access tokens\"): a read token only reads; a read-write " +
        "token can also create and control sweeps where your project role allows it. The token is shown once, when it " +
        "is created. A share link's results are read with the link itself, without a token.";

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
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
        return Task.CompletedTask;
    }
}

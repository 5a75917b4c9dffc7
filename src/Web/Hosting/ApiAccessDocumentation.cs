using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Sweep.Web.Access;

namespace Sweep.Web.Hosting;

/// <summary>
/// Each /api/v1 operation's security and refusals in the OpenAPI document, read from the same metadata that
/// <see cref="ApiAccessMiddleware"/> enforces, so that the document cannot drift from the rules: a personal access token
/// everywhere an account may call, a share link as the alternative where <see cref="AllowShareLinksMetadata"/> says so,
/// an explicit empty requirement on <see cref="AnonymousApi"/> endpoints, and the 401/403/404 ProblemDetails the
/// middleware answers before the handler runs.
/// </summary>
public sealed class ApiAccessDocumentation : IOpenApiOperationTransformer
{
    private const string ProblemSchema = nameof(ProblemDetails);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var template = "/" + description.RelativePath?.Split('?')[0].TrimStart('/');
        if (!template.StartsWith(ApiAccessMiddleware.ApiPrefix, StringComparison.OrdinalIgnoreCase) || context.Document is not { } document)
        {
            return;
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        if (AnonymousApi.Allows(description.HttpMethod ?? "", RawTemplate(description)))
        {
            operation.Security = [];
            return;
        }

        operation.Security = [Requirement(ApiReferenceDocument.SchemeName, document)];
        if (metadata.OfType<AllowShareLinksMetadata>().Any())
        {
            operation.Security.Add(Requirement(ApiReferenceDocument.ShareLinkSchemeName, document));
        }

        var problem = await ProblemReferenceAsync(context, document, cancellationToken);
        operation.Responses ??= [];

        // An error without a body (TypedResults.NotFound()) reaches API callers as ProblemDetails (ApiProblems).
        foreach (var (status, response) in operation.Responses)
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
            {
                bare.Content = Problem(problem);
            }
        }

        Refusal(operation, StatusCodes.Status401Unauthorized, "No valid credential: send a personal access token as a bearer header.", problem);
        Refusal(operation, StatusCodes.Status403Forbidden, Forbidden(metadata), problem);
        if (metadata.OfType<ApiAccess>().LastOrDefault() is { Resource: ApiResource.Sweep or ApiResource.Trial or ApiResource.Project } access)
        {
            Refusal(operation, StatusCodes.Status404NotFound, $"No such {access.Resource.ToString().ToLowerInvariant()}, or not one the caller may see.", problem);
        }
    }

    private static string Forbidden(IList<object> metadata) =>
        metadata.OfType<ApiAccess>().LastOrDefault() switch
        {
            { Resource: ApiResource.Admin } => "The caller is not an administrator.",
            { Role: { } role } => $"The caller's project role is below {role}, a read token or share link tried to change something, or a share link asked for another sweep.",
            _ => "A read token or share link tried to change something, or a share link called an endpoint it may not.",
        };

    private static string? RawTemplate(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description) =>
        description.ActionDescriptor.AttributeRouteInfo?.Template is { } route ? "/" + route.TrimStart('/') : null;

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static void Refusal(OpenApiOperation operation, int status, string description, IOpenApiSchema problem)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = Problem(problem),
        };
    }

    private static Dictionary<string, OpenApiMediaType> Problem(IOpenApiSchema problem) =>
        new() { ["application/problem+json"] = new() { Schema = problem } };

    private static async Task<IOpenApiSchema> ProblemReferenceAsync(OpenApiOperationTransformerContext context, OpenApiDocument document, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
        {
            document.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        }

        return new OpenApiSchemaReference(ProblemSchema, document);
    }
}

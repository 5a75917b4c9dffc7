using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sweep.Web.Hosting;

/// <summary>
/// The API writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity" (a diverged trial's loss), and
/// ASP.NET describes such a number as <c>type: object</c> with <c>anyOf: [number, enum]</c>, which a client generator
/// reads as an object. This says what is sent: a number, or one of those three strings.
/// </summary>
public sealed class NamedFloatSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.AnyOf is { Count: 2 } branches
            && branches.Any(b => b.Type is { } t && t.HasFlag(JsonSchemaType.Number))
            && branches.FirstOrDefault(b => b.Enum is { Count: > 0 }) is OpenApiSchema named)
        {
            named.Type = JsonSchemaType.String;
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
            {
                branches.Add(new OpenApiSchema { Type = JsonSchemaType.Null });
            }

            schema.Type = null;
        }

        return Task.CompletedTask;
    }
}

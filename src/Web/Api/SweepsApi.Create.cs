using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Sweep.Domain.Sweeps;
using Sweep.Web.Access;
using Sweep.Web.Sweeps;

namespace Sweep.Web.Api;

/// <summary>POST /api/v1/sweeps: read the body within its limit, validate it, and create the sweep once per Idempotency-Key.</summary>
public static partial class SweepsApi
{
    internal static async Task<Results<Created<SweepCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, SweepCreation sweeps, SweepAccess access, IOptions<JsonOptions> json, IOptions<SweepApiOptions> options, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(
                $"Send the sweep as application/json; got '{request.ContentType ?? "no content type"}'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.");
        }

        // A header sent empty is a mistake, not the absence of a key: it would otherwise silently turn deduplication off.
        string? key = request.Headers.TryGetValue(Idempotency.Header, out var values) ? values.ToString() : null;
        if (key is not null && Idempotency.Problem(key) is { } keyProblem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Idempotency.Header] = [keyProblem] }, title: "The Idempotency-Key is not valid.");
        }

        var limit = options.Value.MaxRequestBodyBytes;
        var bytes = await RequestBody.ReadAsync(request, limit, ct);
        if (bytes is null)
        {
            return ApiProblems.TooLarge(request.HttpContext, limit);
        }

        SweepRequest? body;
        try
        {
            body = JsonSerializer.Deserialize<SweepRequest>(bytes, json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [JsonField(ex.Path)] = [JsonProblem(ex)] },
                title: "The request body is not a valid sweep.");
        }

        if (body is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body must be a JSON object."] }, title: "The request body is not a valid sweep.");
        }

        var (tags, tagErrors) = SweepTags.Normalize(body.Tags);
        if (tagErrors.Count > 0)
        {
            return TypedResults.ValidationProblem(tagErrors, title: "The sweep is not valid.");
        }

        var spec = body.ToSpec();
        var fromQuery = request.Query["project"].ToString();
        var project = body.Project ?? (fromQuery.Length > 0 ? fromQuery : null);
        var (projectId, allowed) = await access.CreateTargetAsync(request.HttpContext.User, project, ct);
        if (allowed != AccessOutcome.Allowed)
        {
            return ProjectProblem(allowed, project);
        }

        // Keys are per account: two users' retries never meet.
        var userId = request.HttpContext.User.UserId();
        var caller = userId?.ToString() ?? "";
        var claim = key is null ? null : IdempotencyClaim.For(caller, key, projectId, spec);
        var outcome = await sweeps.CreateAsync(spec, claim, ct, projectId, userId, tags);
        if (outcome.KeyReused)
        {
            return TypedResults.Problem(
                $"The Idempotency-Key '{key}' was used in the last {Idempotency.Lifetime.TotalHours:0} hours for a different request body. Use a new key for a new sweep.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "The Idempotency-Key belongs to another request.");
        }

        if (outcome.Created is not { } created)
        {
            return TypedResults.ValidationProblem(outcome.Errors, title: "The sweep is not valid.");
        }

        if (outcome.Replayed)
        {
            request.HttpContext.Response.Headers[Idempotency.ReplayedHeader] = "true";
        }

        var response = new SweepCreatedResponse(
            created.Id,
            created.TrialCount,
            created.SkippedCells,
            created.InvalidCells.Select(c => new InvalidCellResponse(c.BatchSize, c.GhostBatchSize, c.Reason)).ToList());
        return TypedResults.Created($"/api/v1/sweeps/{created.Id}", response);
    }

    /// <summary>The handler reads the header itself (an empty one is an error, not an absent one), so OpenAPI is told here.</summary>
    internal static Task DocumentIdempotencyKey(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Idempotency.Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = $"Makes a retried request return the first response instead of creating a second sweep. 1 to {Idempotency.MaxKeyLength} visible ASCII characters; honoured for {Idempotency.Lifetime.TotalHours:0} hours; the same key with another body is a 422.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotency.MaxKeyLength },
        });
        return Task.CompletedTask;
    }

    /// <summary>404 for a project the caller cannot see (as if it did not exist), 403 for one they only view.</summary>
    private static ProblemHttpResult ProjectProblem(AccessOutcome outcome, string? project) =>
        outcome == AccessOutcome.Forbidden
            ? TypedResults.Problem("Creating sweeps needs the editor role in the project.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.")
            : project is null
                ? TypedResults.Problem(
                    "A sweep without a project goes to 'default', and you have no role there. Name a project you may create sweeps in (\"project\": \"<id or slug>\"), or ask the default project's owner for the editor role.",
                    statusCode: StatusCodes.Status404NotFound, title: "Not found.")
                : TypedResults.Problem($"No project '{project}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    private static string JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    private static string JsonProblem(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"Unknown field '{JsonField(ex.Path)}': it is not part of a sweep spec."
            : EnumProblem(ex) ?? ex.Message.Split(" Path:", 2)[0];

    /// <summary>An enum given as a number or an unknown name: say which names the field takes, not the CLR type.</summary>
    private static string? EnumProblem(JsonException ex)
    {
        const string marker = "could not be converted to ";
        var at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        // "… could not be converted to Sweep.Domain.Sweeps.LrScaling." or "… to System.Nullable`1[Sweep.Domain.Sweeps.LrScaling]."
        var typeName = ex.Message[(at + marker.Length)..].Split(' ', 2)[0].TrimEnd('.')
            .Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        var type = typeof(SweepSpec).Assembly.GetType(typeName);
        if (type is not { IsEnum: true })
        {
            return null;
        }

        var names = Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n));
        return $"'{JsonField(ex.Path)}' takes one of {string.Join(", ", names.Select(n => $"\"{n}\""))}, as a string.";
    }
}

public sealed record SweepCreatedResponse(Guid Id, int TrialCount, int SkippedCells, IReadOnlyList<InvalidCellResponse> InvalidCells);

public sealed record InvalidCellResponse(int BatchSize, int GhostBatchSize, string Reason);

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Web.Access;

namespace Sweep.Web.Api;

/// <summary>/api/v1/tokens: the caller's personal access tokens. The secret appears once, in the create response.</summary>
public static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireAccount();
        group.MapGet("/", ListAsync).WithName("ListTokens").WithSummary("The caller's tokens: name, prefix, scope, expiry, last use; never the secret.");
        group.MapPost("/", CreateAsync).WithName("CreateToken")
            .WithSummary("Create a token (scope read or read-write, optional expiresAt). The response holds the secret; it is not shown again.")
            .RequireRateLimiting(RateLimitOptions.Credentials);
        group.MapDelete("/{tokenId:guid}", RevokeAsync).WithName("RevokeToken").WithSummary("Revoke a token; it fails with 401 from then on.");
        return app;
    }

    internal static async Task<Results<Ok<List<AccessTokenView>>, ForbidHttpResult>> ListAsync(ClaimsPrincipal user, AccessTokens tokens, CancellationToken ct) =>
        user.UserId() is { } id ? TypedResults.Ok(await tokens.ListAsync(id, ct)) : TypedResults.Forbid();

    internal static async Task<Results<Created<CreatedTokenResponse>, ValidationProblem, ForbidHttpResult>> CreateAsync(
        TokenCreateRequest request, ClaimsPrincipal user, AccessTokens tokens, CancellationToken ct)
    {
        if (user.UserId() is not { } id)
        {
            return TypedResults.Forbid();
        }

        var (token, view, errors) = await tokens.CreateAsync(id, request.Name, request.Scope, request.ExpiresAt, ct);
        return token is null
            ? TypedResults.ValidationProblem(errors, title: "The token request is not valid.")
            : TypedResults.Created($"/api/v1/tokens/{view!.Id}", new CreatedTokenResponse(token, view));
    }

    internal static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid tokenId, ClaimsPrincipal user, AccessTokens tokens, CancellationToken ct) =>
        user.UserId() is { } id && await tokens.RevokeAsync(id, tokenId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}

public sealed record TokenCreateRequest(string? Name, string? Scope, DateTimeOffset? ExpiresAt);

public sealed record CreatedTokenResponse(string Token, AccessTokenView Details);

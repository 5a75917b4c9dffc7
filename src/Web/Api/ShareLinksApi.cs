using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Hosting;

namespace Sweep.Web.Api;

/// <summary>
/// /api/v1/sweeps/{id}/share-links: read-only links to a sweep's results. The route's {id} puts these endpoints under
/// the sweep's project role like every other sweep endpoint: viewers list, editors create and revoke.
/// </summary>
public static class ShareLinksApi
{
    public static IEndpointRouteBuilder MapShareLinksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sweeps/{id:guid}/share-links").WithTags("Sharing").RequireSweepAccess(ProjectRoles.Viewer);
        group.MapGet("/", ListAsync).WithName("ListShareLinks").WithSummary("The sweep's share links (never their secrets).");
        group.MapPost("/", CreateAsync).RequireSweepAccess(ProjectRoles.Editor).WithName("CreateShareLink")
            .WithSummary("A read-only link to the sweep's results page (/s/{token}) and read endpoints; optional name (up to 100 characters) and expiresAt. The token is shown once.")
            .RequireRateLimiting(RateLimitOptions.Credentials);
        group.MapDelete("/{linkId:guid}", RevokeAsync).RequireSweepAccess(ProjectRoles.Editor).WithName("RevokeShareLink").WithSummary("Revoke a share link; its page and reads answer 401 from then on.");
        return app;
    }

    internal static async Task<Results<Ok<List<ShareLinkView>>, NotFound>> ListAsync(Guid id, SweepExists sweeps, ShareLinks links, CancellationToken ct) =>
        await sweeps.AnyAsync(id, ct) ? TypedResults.Ok(await links.ListAsync(id, ct)) : TypedResults.NotFound();

    internal static async Task<Results<Created<CreatedShareLinkResponse>, NotFound, ValidationProblem>> CreateAsync(
        Guid id, ShareLinkCreateRequest? request, ClaimsPrincipal user, SweepExists sweeps, ShareLinks links, PublicUrls urls, HttpRequest http, CancellationToken ct)
    {
        if (!await sweeps.AnyAsync(id, ct))
        {
            return TypedResults.NotFound();
        }

        var (token, view, errors) = await links.CreateAsync(id, user.UserId(), request?.Name, request?.ExpiresAt, ct);
        if (token is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var url = urls.ShareLink(http, token);
        return TypedResults.Created($"/api/v1/sweeps/{id}/share-links/{view!.Id}", new CreatedShareLinkResponse(token, url, view));
    }

    internal static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid id, Guid linkId, ShareLinks links, CancellationToken ct) =>
        await links.RevokeAsync(id, linkId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <param name="Name">Optional: what the link is for, so it can be told apart and revoked later.</param>
public sealed record ShareLinkCreateRequest(DateTimeOffset? ExpiresAt, string? Name = null);

public sealed record CreatedShareLinkResponse(string Token, string Url, ShareLinkView Details);

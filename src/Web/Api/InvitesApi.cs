using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Web.Access;
using Sweep.Web.Hosting;

namespace Sweep.Web.Api;

/// <summary>
/// Invite links (/account/register?invite=swi_…): single use, expiring, shown once. A project owner invites to their
/// project with a role (/api/v1/projects/{project}/invites); an administrator may also invite to the deployment alone
/// (/api/v1/invites). Where registration is <c>closed</c> only administrators' invites admit anyone; owners' invites
/// need <c>invite</c> or <c>open</c>. An invite counts only while its maker could still make it.
/// </summary>
public static class InvitesApi
{
    public static IEndpointRouteBuilder MapInvitesApi(this IEndpointRouteBuilder app)
    {
        var project = app.MapGroup("/api/v1/projects/{project}/invites").WithTags("Invites").RequireProjectAccess(ProjectRoles.Owner);
        project.MapGet("/", ListForProjectAsync).WithName("ListProjectInvites").WithSummary("The project's invites, never their secrets (owners only).");
        project.MapPost("/", CreateForProjectAsync).WithName("CreateProjectInvite")
            .WithSummary("A single-use invite link that gives a new account the role in the project (owners only); the link is shown once.")
            .RequireRateLimiting(RateLimitOptions.Credentials);
        project.MapDelete("/{inviteId:guid}", RevokeForProjectAsync).WithName("RevokeProjectInvite").WithSummary("Revoke an unused invite of the project (owners only); its link stops working.");

        var admin = app.MapGroup("/api/v1/invites").WithTags("Invites").RequireAdmin();
        admin.MapGet("/", ListAllAsync).WithName("ListInvites").WithSummary("Every invite of the deployment (administrators only).");
        admin.MapPost("/", CreateAsync).WithName("CreateInvite")
            .WithSummary("An invite to the deployment, optionally to a project with a role (administrators only); the link is shown once.")
            .RequireRateLimiting(RateLimitOptions.Credentials);
        admin.MapDelete("/{inviteId:guid}", RevokeAsync).WithName("RevokeInvite").WithSummary("Revoke an unused invite (administrators only); its link stops working.");
        return app;
    }

    internal static async Task<Results<Ok<List<InviteView>>, NotFound, ForbidHttpResult>> ListForProjectAsync(
        string project, ClaimsPrincipal user, Projects projects, Invites invites, CancellationToken ct) =>
        await OwnedAsync(project, user, projects, ct) switch
        {
            (AccessOutcome.Allowed, var id) => TypedResults.Ok(await invites.ListAsync(id, ct)),
            (AccessOutcome.Forbidden, _) => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };

    internal static async Task<Results<Created<CreatedInviteResponse>, NotFound, ForbidHttpResult, ValidationProblem>> CreateForProjectAsync(
        string project, InviteCreateRequest? request, ClaimsPrincipal user, Projects projects, Invites invites, Accounts accounts, PublicUrls urls, HttpRequest http, CancellationToken ct)
    {
        var (outcome, id) = await OwnedAsync(project, user, projects, ct);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome == AccessOutcome.Forbidden ? TypedResults.Forbid() : TypedResults.NotFound();
        }

        return await MintAsync(id, request?.Role, request, user, invites, accounts, urls, http, ct);
    }

    internal static async Task<Results<NoContent, NotFound>> RevokeForProjectAsync(
        string project, Guid inviteId, ClaimsPrincipal user, Projects projects, Invites invites, CancellationToken ct) =>
        await OwnedAsync(project, user, projects, ct) is (AccessOutcome.Allowed, var id) && await invites.RevokeAsync(id, inviteId, ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    internal static async Task<Results<Ok<List<InviteView>>, ForbidHttpResult>> ListAllAsync(ClaimsPrincipal user, Invites invites, CancellationToken ct) =>
        user.IsAdmin() ? TypedResults.Ok(await invites.ListAsync(null, ct)) : TypedResults.Forbid();

    internal static async Task<Results<Created<CreatedInviteResponse>, NotFound, ForbidHttpResult, ValidationProblem>> CreateAsync(
        InviteCreateRequest? request, ClaimsPrincipal user, Projects projects, Invites invites, Accounts accounts, PublicUrls urls, HttpRequest http, CancellationToken ct)
    {
        if (!user.IsAdmin())
        {
            return TypedResults.Forbid();
        }

        Guid? projectId = null;
        if (!string.IsNullOrWhiteSpace(request?.Project))
        {
            projectId = await projects.FindAsync(request.Project, ct);
            if (projectId is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["project"] = [$"No project '{request.Project}'."] });
            }
        }

        return await MintAsync(projectId, request?.Role, request, user, invites, accounts, urls, http, ct);
    }

    internal static async Task<Results<NoContent, NotFound, ForbidHttpResult>> RevokeAsync(Guid inviteId, ClaimsPrincipal user, Invites invites, CancellationToken ct) =>
        !user.IsAdmin() ? TypedResults.Forbid()
        : await invites.RevokeAsync(null, inviteId, ct) ? TypedResults.NoContent()
        : TypedResults.NotFound();

    private static async Task<Results<Created<CreatedInviteResponse>, NotFound, ForbidHttpResult, ValidationProblem>> MintAsync(
        Guid? projectId, string? role, InviteCreateRequest? request, ClaimsPrincipal user, Invites invites, Accounts accounts, PublicUrls urls, HttpRequest http, CancellationToken ct)
    {
        // A closed deployment admits new accounts only through an administrator: owners' invites need 'invite' or 'open'.
        if (accounts.Mode == AccountOptions.Closed && !user.IsAdmin())
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["registration"] = ["Registration is closed on this deployment (Accounts:Registration): only administrators invite; owners' invites need 'invite' or 'open'."] },
                title: "Invites are off.");
        }

        var (token, view, errors) = await invites.CreateAsync(user.UserId()!.Value, projectId, role, request?.Email, request?.ExpiresAt, ct);
        if (token is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The invite is not valid.");
        }

        var url = urls.InviteLink(http, token);
        return TypedResults.Created($"/api/v1/invites/{view!.Id}", new CreatedInviteResponse(token, url, view));
    }

    /// <summary>The project (id or slug) and whether the caller owns it; administrators own every project.</summary>
    private static async Task<(AccessOutcome Outcome, Guid Id)> OwnedAsync(string project, ClaimsPrincipal user, Projects projects, CancellationToken ct) =>
        await projects.FindAsync(project, ct) is { } id
            ? (await projects.CheckAsync(user, id, ProjectRoles.Owner, ct), id)
            : (AccessOutcome.Missing, Guid.Empty);
}

/// <summary>Role: the new account's role in the project; Email: only this address may use it; Project: admins only, on /api/v1/invites.</summary>
public sealed record InviteCreateRequest(string? Role, string? Email, DateTimeOffset? ExpiresAt, string? Project);

public sealed record CreatedInviteResponse(string Token, string Url, InviteView Details);

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Sweep.Data.Entities;
using Sweep.Web.Access;

namespace Sweep.Web.Api;

/// <summary>
/// /api/v1/projects: the projects the caller sees, creating one (the caller becomes its owner), and its members.
/// {project} is an id or a slug. A project the caller cannot see answers 404; member changes need the owner role, and
/// only owners see members' e-mail addresses.
/// </summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects").WithTags("Projects").RequireAccount();
        group.MapGet("/", ListAsync).WithName("ListProjects").WithSummary("Projects the caller sees, with the caller's role.");
        group.MapPost("/", CreateAsync).WithName("CreateProject").WithSummary("Create a project (visibility private or internal); the caller becomes its owner.");
        group.MapGet("/{project}", GetAsync).RequireProjectAccess(ProjectRoles.Viewer).WithName("GetProject").WithSummary("A project by id or slug, with its visibility and the caller's role.");
        group.MapGet("/{project}/members", MembersAsync).RequireProjectAccess(ProjectRoles.Viewer).WithName("ListProjectMembers").WithSummary("The project's members with their roles.");
        group.MapPut("/{project}/members", SetMemberAsync).RequireProjectAccess(ProjectRoles.Owner).WithName("SetProjectMember").WithSummary("Add an account by email with a role, or change its role (owners only).");
        group.MapDelete("/{project}/members/{userId:guid}", RemoveMemberAsync).RequireProjectAccess(ProjectRoles.Owner).WithName("RemoveProjectMember").WithSummary("Remove a member (owners only); the last owner stays.");
        return app;
    }

    internal static async Task<Ok<List<ProjectView>>> ListAsync(ClaimsPrincipal user, Projects projects, CancellationToken ct) =>
        TypedResults.Ok(await projects.ListAsync(user, ct));

    internal static async Task<Results<Created<ProjectView>, ValidationProblem, ForbidHttpResult>> CreateAsync(
        ProjectCreateRequest request, ClaimsPrincipal user, Projects projects, CancellationToken ct)
    {
        if (user.UserId() is not { } id)
        {
            return TypedResults.Forbid();
        }

        var (project, errors) = await projects.CreateAsync(id, request.Name, request.Slug, request.Visibility, ct);
        return project is null
            ? TypedResults.ValidationProblem(errors, title: "The project is not valid.")
            : TypedResults.Created($"/api/v1/projects/{project.Slug}", project);
    }

    internal static async Task<Results<Ok<ProjectView>, NotFound>> GetAsync(string project, ClaimsPrincipal user, Projects projects, CancellationToken ct) =>
        await projects.FindAsync(project, ct) is { } id && await projects.GetAsync(user, id, ct) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.NotFound();

    internal static async Task<Results<Ok<List<MemberView>>, NotFound, ForbidHttpResult>> MembersAsync(
        string project, ClaimsPrincipal user, Projects projects, CancellationToken ct)
    {
        var (id, problem) = await ResolveAsync(project, user, projects, ProjectRoles.Viewer, ct);
        return problem switch
        {
            AccessOutcome.Allowed => TypedResults.Ok(await projects.MembersAsync(user, id, ct)),
            AccessOutcome.Forbidden => TypedResults.Forbid(),
            _ => TypedResults.NotFound(),
        };
    }

    internal static async Task<Results<NoContent, NotFound, ForbidHttpResult, ValidationProblem>> SetMemberAsync(
        string project, MemberRequest request, ClaimsPrincipal user, Projects projects, CancellationToken ct)
    {
        var (id, outcome) = await ResolveAsync(project, user, projects, ProjectRoles.Owner, ct);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome == AccessOutcome.Forbidden ? TypedResults.Forbid() : TypedResults.NotFound();
        }

        var errors = await projects.SetMemberAsync(id, request.Email, request.Role, ct);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, NotFound, ForbidHttpResult, ProblemHttpResult>> RemoveMemberAsync(
        string project, Guid userId, ClaimsPrincipal user, Projects projects, CancellationToken ct)
    {
        var (id, outcome) = await ResolveAsync(project, user, projects, ProjectRoles.Owner, ct);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome == AccessOutcome.Forbidden ? TypedResults.Forbid() : TypedResults.NotFound();
        }

        return await projects.RemoveMemberAsync(id, userId, ct) switch
        {
            null => TypedResults.NoContent(),
            "not-found" => TypedResults.NotFound(),
            var why => TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static async Task<(Guid Id, AccessOutcome Outcome)> ResolveAsync(
        string project, ClaimsPrincipal user, Projects projects, string needed, CancellationToken ct) =>
        await projects.FindAsync(project, ct) is { } id
            ? (id, await projects.CheckAsync(user, id, needed, ct))
            : (Guid.Empty, AccessOutcome.Missing);
}

public sealed record ProjectCreateRequest(string? Name, string? Slug, string? Visibility);

public sealed record MemberRequest(string? Email, string? Role);

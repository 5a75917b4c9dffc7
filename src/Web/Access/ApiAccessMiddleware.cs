using System.Security.Claims;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>
/// Authorization for every endpoint under /api/v1, from what the endpoint declares (<see cref="ApiAccess"/>), before
/// the handler or its body binding runs. An endpoint that declares nothing and is not on <see cref="AnonymousApi"/>
/// is refused: access fails closed. Rules, in order: no valid credential → 401; a write with a read-only token or a
/// share link → 403; a sweep, trial or project the caller cannot see → 404; a missing role or scope → 403; a share
/// link anywhere it is not allowed → 403 (404 for another sweep's resources).
/// </summary>
public sealed class ApiAccessMiddleware(RequestDelegate next)
{
    public const string ApiPrefix = "/api/v1";

    public async Task InvokeAsync(HttpContext context, SweepAccess access)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint
            || !Guarded(endpoint)
            || AnonymousApi.Allows(context.Request.Method, endpoint.RoutePattern.RawText))
        {
            await next(context);
            return;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required.",
                "Send a personal access token as 'Authorization: Bearer <token>' (create one on the account page), or sign in.");
            return;
        }

        var write = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        if (write && !user.MayWrite())
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Read-only credential.",
                "This token or share link may only read; changes need a read-write token or a signed-in session.");
            return;
        }

        if (endpoint.Metadata.GetOrderedMetadata<ApiAccess>() is not [.., var declared])
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed.", "This endpoint declares no access rule.");
            return;
        }

        var outcome = await DecideAsync(access, user, declared, context);
        if (outcome == AccessOutcome.Allowed && user.SharedSweepId() is not null && endpoint.Metadata.GetMetadata<AllowShareLinksMetadata>() is null)
        {
            outcome = AccessOutcome.Forbidden;
        }

        switch (outcome)
        {
            case AccessOutcome.Hidden:
                await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found.", null);
                return;
            case AccessOutcome.Forbidden:
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed.", Why(user, declared));
                return;
            default:
                await next(context);
                return;
        }
    }

    /// <summary>Every /api/v1 endpoint, and any other that declares its access (the /metrics scrape endpoint).</summary>
    private static bool Guarded(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.RawText?.StartsWith(ApiPrefix, StringComparison.OrdinalIgnoreCase) == true
        || endpoint.Metadata.GetMetadata<ApiAccess>() is not null;

    /// <summary>The declared need, decided by <see cref="SweepAccess"/> (role and scope together).</summary>
    private static async Task<AccessOutcome> DecideAsync(SweepAccess access, ClaimsPrincipal user, ApiAccess declared, HttpContext context)
    {
        var ct = context.RequestAborted;
        var raw = declared.RouteValue is { } name && context.Request.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;
        var role = declared.Role ?? ProjectRoles.Viewer;
        return declared.Resource switch
        {
            ApiResource.Sweep => Guid.TryParse(raw, out var sweep) ? await access.SweepAsync(user, sweep, role, ct) : AccessOutcome.Missing,
            ApiResource.Trial => Guid.TryParse(raw, out var trial) ? await access.TrialAsync(user, trial, role, ct) : AccessOutcome.Missing,
            ApiResource.Project => raw is null ? AccessOutcome.Missing : await access.ProjectAsync(user, raw, role, ct),
            ApiResource.Admin => user.IsAdmin() ? AccessOutcome.Allowed : AccessOutcome.Forbidden,
            _ => user.UserId() is not null ? AccessOutcome.Allowed : AccessOutcome.Forbidden,
        };
    }

    private static string? Why(ClaimsPrincipal user, ApiAccess declared) =>
        user.SharedSweepId() is not null ? "A share link reads its own sweep and nothing else."
        : !user.MayWrite() ? "This token may only read."
        : declared.Resource == ApiResource.Admin ? "This needs an administrator."
        : declared.Role is { } role && role != ProjectRoles.Viewer ? $"This needs the {role} role in the project."
        : null;
}

using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>
/// Authorization for every endpoint under /api/v1, decided from its route before the handler (or its body binding)
/// runs, so that endpoints added later are covered without a line of their own. Rules, in order:
/// no valid credential → 401; a write with a read-only token or a share link → 403; a sweep or trial in a project
/// the caller cannot see → 404; a control action without the editor role → 403; worker control without admin → 403;
/// a project the caller cannot see → 404, and changing its members without the owner role → 403; a share link on
/// anything but its own sweep's reads → 404 (ids) or 403 (lists). Token endpoints act on the caller's own tokens.
/// </summary>
public sealed class ApiAccessMiddleware(RequestDelegate next)
{
    public const string ApiPrefix = "/api/v1";

    public async Task InvokeAsync(HttpContext context, SweepAccess access)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint
            || endpoint.RoutePattern.RawText?.StartsWith(ApiPrefix, StringComparison.OrdinalIgnoreCase) != true)
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

        var resource = Resource(endpoint, context.Request.RouteValues);
        var needed = write ? ProjectRoles.Editor : ProjectRoles.Viewer;
        var outcome = resource switch
        {
            ("sweeps", { } id) => await access.SweepAsync(user, id, needed, context.RequestAborted),
            ("trials", { } id) => await access.TrialAsync(user, id, needed, context.RequestAborted),
            ("projects", _) when context.Request.RouteValues.TryGetValue("project", out var project) =>
                await access.ProjectAsync(user, project?.ToString() ?? "", write ? ProjectRoles.Owner : ProjectRoles.Viewer, context.RequestAborted),
            _ when user.SharedSweepId() is not null => AccessOutcome.Forbidden,
            ("workers", _) when write && !user.IsAdmin() => AccessOutcome.Forbidden,
            _ => AccessOutcome.Allowed,
        };

        switch (outcome)
        {
            case AccessOutcome.Hidden:
                await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found.", null);
                return;
            case AccessOutcome.Forbidden:
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed.",
                    user.SharedSweepId() is not null
                        ? "A share link reads its own sweep and nothing else."
                        : write ? "This needs the editor role in the sweep's project (owner for members, administrator for workers)." : null);
                return;
            default:
                await next(context);
                return;
        }
    }

    /// <summary>The collection (first segment after /api/v1) and the id the route names, if it is a GUID.</summary>
    internal static (string Collection, Guid? Id) Resource(RouteEndpoint endpoint, RouteValueDictionary values)
    {
        var text = endpoint.RoutePattern.RawText![ApiPrefix.Length..].Trim('/');
        var collection = text.Split('/', 2)[0].ToLowerInvariant();
        Guid? id = values.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var g) ? g : null;
        return (collection, id);
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Sweep.Web.Access;

/// <summary>
/// Who is asking, wherever the question comes from: an HTTP request (API, static page) carries its user, authenticated
/// for this request; an interactive Blazor circuit keeps the user it was opened with in its authentication state,
/// because the circuit's HttpContext is the long-lived SignalR connection and not a request. That user is re-validated
/// on every call (<see cref="CallerRevalidation"/>), so that a circuit whose session, token or share link was revoked
/// acts as nobody from its next check on.
/// </summary>
public sealed class CurrentCaller(IHttpContextAccessor http, CallerRevalidation revalidation, AuthenticationStateProvider authentication)
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public async Task<ClaimsPrincipal> GetAsync(CancellationToken ct)
    {
        if (http.HttpContext is { } context && !context.Request.Path.StartsWithSegments("/_blazor"))
        {
            return context.User;
        }

        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return await revalidation.IsStillValidAsync(user, ct) ? user : Anonymous;
    }
}

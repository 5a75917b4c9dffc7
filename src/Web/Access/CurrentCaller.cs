using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Sweep.Web.Access;

/// <summary>
/// Who is asking, wherever the question comes from: an HTTP request (API, static page) carries its user; an interactive
/// Blazor circuit keeps the user it was opened with in its authentication state, because the circuit's HttpContext
/// is the long-lived SignalR connection and not a request.
/// </summary>
public sealed class CurrentCaller(IHttpContextAccessor http, AuthenticationStateProvider? authentication = null)
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public async Task<ClaimsPrincipal> GetAsync()
    {
        if (http.HttpContext is { } context && !context.Request.Path.StartsWithSegments("/_blazor"))
        {
            return context.User;
        }

        return authentication is null ? Anonymous : (await authentication.GetAuthenticationStateAsync()).User;
    }
}

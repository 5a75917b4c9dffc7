namespace Sweep.Web.Access;

/// <summary>
/// Refuses API writes that ride on the session cookie from another site. SameSite=Lax still sends the cookie on a
/// top-level cross-site form POST in some browsers and on any same-site (sibling subdomain) one, and a form needs no
/// CORS preflight, so a cookie-authenticated write must prove that it came from Sweep's own pages: either the
/// browser says so (<c>Sec-Fetch-Site: same-origin</c>, or <c>none</c> for a request the user typed), or the client
/// sent <see cref="Header"/>, which a cross-site form cannot send and a cross-origin script cannot send without a
/// CORS preflight that Sweep never grants. Bearer-token clients carry no ambient credential and are not checked.
/// </summary>
public sealed class CrossSiteWriteGuard(RequestDelegate next)
{
    /// <summary>The header a script or tool that calls the API with the session cookie sends on writes.</summary>
    public const string Header = "X-Sweep-Request";

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsCookieWriteToApi(context) && !IsFromSweep(context.Request))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused.",
                $"An API write authenticated by the session cookie must come from Sweep's own pages (Sec-Fetch-Site: same-origin) " +
                $"or carry the header '{Header}: 1'. Scripts and tools can also use a personal access token instead.");
            return;
        }

        await next(context);
    }

    private static bool IsCookieWriteToApi(HttpContext context)
    {
        var request = context.Request;
        var write = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
            || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method);
        return write
            && request.Path.StartsWithSegments("/api")
            && context.User.Identity?.IsAuthenticated == true
            && TokenAuthenticationHandler.BearerToken(request) is null;
    }

    private static bool IsFromSweep(HttpRequest request) =>
        request.Headers[Header].ToString().Length > 0
        || request.Headers["Sec-Fetch-Site"].ToString() is "same-origin" or "none";
}

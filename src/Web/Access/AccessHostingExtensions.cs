using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Web.Api;

namespace Sweep.Web.Access;

/// <summary>Accounts, tokens, projects and the checks that use them. Always on: there is no switch that turns them off.</summary>
public static class AccessHostingExtensions
{
    public const string PolicyScheme = "Sweep";

    public const string SessionCookie = "sweep_session";

    public static WebApplicationBuilder AddSweepAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Every logger of the process goes through redaction, whatever provider is added later (tests add their own).
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, RedactingLoggerFactory>());

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultChallengeScheme = PolicyScheme;
            })
            .AddPolicyScheme(PolicyScheme, "Session cookie, access token or share link", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;

            // Secure whenever the request is HTTPS, also when a known proxy terminated TLS (X-Forwarded-Proto).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(7);

            // API clients get status codes, not a redirect to an HTML form.
            o.Events.OnRedirectToLogin = context => ApiStatusOr(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiStatusOr(context, StatusCodes.Status403Forbidden);
        });
        services.AddIdentityCore<SweepUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<SweepDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Pages need an account: a share link authenticates, but only for its own sweep's page and read endpoints.
        services.AddAuthorization(o => o.DefaultPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireClaim(System.Security.Claims.ClaimTypes.NameIdentifier)
            .Build());
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddSweepRateLimits(builder.Configuration);
        services.AddHeavyReadLimits(builder.Configuration);

        services.AddScoped<CallerRevalidation>();
        services.AddScoped<CurrentCaller>();
        services.AddScoped<SweepAccess>();
        services.AddScoped<SweepExists>();
        services.AddScoped<AccessTokens>();
        services.AddScoped<ShareLinks>();
        services.AddScoped<Projects>();
        services.AddSweepAccounts(builder.Configuration);
        services.AddHostedService<AdminBootstrap>();
        return builder;
    }

    /// <summary>Authentication, the rate limiter and the API's access rules; before antiforgery and the endpoints.</summary>
    public static WebApplication UseSweepAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<CrossSiteWriteGuard>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<ApiAccessMiddleware>();
        return app;
    }

    public static WebApplication MapSweepAccess(this WebApplication app)
    {
        app.MapProjectsApi();
        app.MapTokensApi();
        app.MapShareLinksApi();
        app.MapInvitesApi();

        // A form post (antiforgery-checked because it binds a form field), so that no link or image can sign anyone out.
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<SweepUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Bearer tokens and the share-link cookie count only under /api: pages, /_blazor circuits and /hangfire know a
    /// signed-in session or nobody, so that no token's scope has to be re-enforced by each page or dashboard. The one
    /// exception is a bearer token on /metrics, which Prometheus scrapes with; that endpoint declares admin access.
    /// </summary>
    private static string SelectScheme(HttpContext context)
    {
        var api = context.Request.Path.StartsWithSegments("/api");
        var bearer = api || context.Request.Path.StartsWithSegments(Hosting.MetricsHostingExtensions.MetricsPath);
        return bearer && TokenAuthenticationHandler.BearerToken(context.Request) is not null ? TokenAuthenticationHandler.SchemeName
            : context.Request.Cookies.ContainsKey(SessionCookie) ? IdentityConstants.ApplicationScheme
            : api && context.Request.Cookies.ContainsKey(TokenAuthenticationHandler.ShareCookie) ? TokenAuthenticationHandler.SchemeName
            : IdentityConstants.ApplicationScheme;
    }

    private static Task ApiStatusOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

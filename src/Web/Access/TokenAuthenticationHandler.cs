using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sweep.Data;

namespace Sweep.Web.Access;

/// <summary>
/// <c>Authorization: Bearer swp_…</c> (a personal access token) or <c>Bearer sws_…</c> (a share link), and the
/// share-link cookie that a shared results page sets for its own export downloads. A token that is unknown, revoked or
/// expired, or whose account was deleted, fails authentication, so the API answers 401 whatever the endpoint.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<SweepDbContext> contexts,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    public const string ShareCookie = "sweep_share";

    /// <summary>Last use is written at most this often per token, so that reads do not each cost a write.</summary>
    private static readonly TimeSpan LastUseGranularity = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken(Request) ?? Request.Cookies[ShareCookie];
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var now = clock.GetUtcNow();
        var hash = SecretTokens.Hash(token);
        await using var db = await contexts.CreateDbContextAsync(Context.RequestAborted);
        if (token.StartsWith(SecretTokens.ShareLinkPrefix, StringComparison.Ordinal))
        {
            var link = await db.ShareLinks.AsNoTracking()
                .Where(s => s.TokenHash == hash && s.RevokedAt == null && (s.ExpiresAt == null || s.ExpiresAt > now))
                .Select(s => new { s.Id, s.SweepId })
                .FirstOrDefaultAsync(Context.RequestAborted);
            return link is null
                ? AuthenticateResult.Fail("The share link is unknown, revoked or expired.")
                : Success(new ClaimsIdentity(
                    [new Claim(SweepClaims.ShareSweep, link.SweepId.ToString()), new Claim(SweepClaims.TokenId, link.Id.ToString())],
                    SchemeName));
        }

        var pat = await db.AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.User != null)
            .Select(t => new { t.Id, t.UserId, t.Scope, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.User!.Email, t.User.UserName })
            .FirstOrDefaultAsync(Context.RequestAborted);

        // The account's sign-in lockout is deliberately not checked: failed passwords from anyone would otherwise switch
        // off the account's tokens (a denial of service). A token of a deleted account is gone with it.
        if (pat is null || pat.RevokedAt is not null || pat.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The access token is unknown, revoked or expired.");
        }

        if (pat.LastUsedAt is null || now - pat.LastUsedAt > LastUseGranularity)
        {
            await db.AccessTokens.Where(t => t.Id == pat.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == pat.UserId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(Context.RequestAborted);
        var identity = new ClaimsIdentity(SchemeName);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, pat.UserId.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, pat.UserName ?? pat.Email ?? pat.UserId.ToString()));
        identity.AddClaim(new Claim(SweepClaims.Scope, pat.Scope));
        identity.AddClaim(new Claim(SweepClaims.TokenId, pat.Id.ToString()));
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return Success(identity);
    }

    private static AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}

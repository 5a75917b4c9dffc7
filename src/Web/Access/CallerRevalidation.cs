using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sweep.Data;

namespace Sweep.Web.Access;

/// <summary>
/// Whether a principal authenticated some time ago (a Blazor circuit's) still stands: its token or share link is still
/// active, or its account still exists with the security stamp its session was issued with (a password change or
/// "sign out everywhere" changes the stamp). One indexed read per check; circuits check before each action and refresh.
/// </summary>
public sealed class CallerRevalidation(IDbContextFactory<SweepDbContext> contexts, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    public async Task<bool> IsStillValidAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (Guid.TryParse(user.FindFirstValue(SweepClaims.TokenId), out var tokenId))
        {
            return user.SharedSweepId() is not null
                ? await db.ShareLinks.AnyAsync(s => s.Id == tokenId && s.RevokedAt == null && (s.ExpiresAt == null || s.ExpiresAt > now), ct)
                : await db.AccessTokens.AnyAsync(t => t.Id == tokenId && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), ct);
        }

        // A session Identity issued carries its account's security stamp; a principal without one has nothing to re-read.
        var stamp = user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (stamp is null)
        {
            return true;
        }

        var userId = user.UserId();
        var stored = await db.Users.Where(u => u.Id == userId).Select(u => new { u.SecurityStamp }).FirstOrDefaultAsync(ct);
        return stored is not null && stamp == stored.SecurityStamp;
    }
}

using System.Security.Claims;

namespace Sweep.Web.Access;

/// <summary>Claims Sweep adds to a caller, and what they mean.</summary>
public static class SweepClaims
{
    /// <summary>The role of administrators: every project as owner, workers, the Hangfire dashboard.</summary>
    public const string AdminRole = "admin";

    /// <summary>read or read-write; present on token callers. Cookie sessions may do whatever their roles allow.</summary>
    public const string Scope = "sweep:scope";

    /// <summary>The sweep a share link opens; a caller with this claim is no account at all.</summary>
    public const string ShareSweep = "sweep:share";

    public const string TokenId = "sweep:token";

    public static Guid? UserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Guid? SharedSweepId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ShareSweep), out var id) ? id : null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.UserId() is not null && user.IsInRole(AdminRole);

    /// <summary>False for read-only tokens and share links; true for cookie sessions and read-write tokens.</summary>
    public static bool MayWrite(this ClaimsPrincipal user) =>
        user.SharedSweepId() is null && user.FindFirstValue(Scope) is null or Data.Entities.TokenScopes.ReadWrite;
}

namespace Sweep.Web.Access;

/// <summary>What an /api/v1 endpoint is about, for <see cref="ApiAccess"/>.</summary>
public enum ApiResource
{
    /// <summary>Any account (signed-in user or personal access token); no share link.</summary>
    Account,

    /// <summary>Administrators only.</summary>
    Admin,

    /// <summary>The sweep named by a route value.</summary>
    Sweep,

    /// <summary>The trial named by a route value (its sweep's project decides).</summary>
    Trial,

    /// <summary>The project named by a route value (id or slug).</summary>
    Project,
}

/// <summary>
/// Endpoint metadata: what the caller needs before the handler (and its body binding) runs. Declared on each group or
/// endpoint with <see cref="ApiAccessConventions"/>; the last declaration wins, so an endpoint may narrow its group's.
/// <see cref="ApiAccessMiddleware"/> refuses every /api/v1 endpoint that declares none and is not on
/// <see cref="AnonymousApi"/>.
/// </summary>
/// <param name="Role">The project role needed (<see cref="Data.Entities.ProjectRoles"/>); null for account and admin.</param>
/// <param name="RouteValue">The route value that names the resource.</param>
public sealed record ApiAccess(ApiResource Resource, string? Role = null, string? RouteValue = null);

/// <summary>Endpoint metadata: a share link may call this endpoint for its own sweep (reads of that sweep only).</summary>
public sealed class AllowShareLinksMetadata
{
    public static readonly AllowShareLinksMetadata Instance = new();
}

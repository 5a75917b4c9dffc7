using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>Declarations of what an /api/v1 group or endpoint needs; see <see cref="ApiAccess"/>.</summary>
public static class ApiAccessConventions
{
    /// <summary>The sweep named by <paramref name="routeValue"/>, with at least <paramref name="role"/> in its project.</summary>
    public static TBuilder RequireSweepAccess<TBuilder>(this TBuilder builder, string role, string routeValue = "id")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAccess(ApiResource.Sweep, ProjectRoles.Rank(role) >= 0 ? role : throw Unknown(role), routeValue));

    /// <summary>The trial named by <paramref name="routeValue"/>, with at least <paramref name="role"/> in its sweep's project.</summary>
    public static TBuilder RequireTrialAccess<TBuilder>(this TBuilder builder, string role, string routeValue = "id")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAccess(ApiResource.Trial, ProjectRoles.Rank(role) >= 0 ? role : throw Unknown(role), routeValue));

    /// <summary>The project named (id or slug) by <paramref name="routeValue"/>, with at least <paramref name="role"/>.</summary>
    public static TBuilder RequireProjectAccess<TBuilder>(this TBuilder builder, string role, string routeValue = "project")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAccess(ApiResource.Project, ProjectRoles.Rank(role) >= 0 ? role : throw Unknown(role), routeValue));

    /// <summary>Administrators only.</summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiAccess(ApiResource.Admin));

    /// <summary>Any account: a signed-in user or a personal access token, never a share link. The handler narrows further.</summary>
    public static TBuilder RequireAccount<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiAccess(ApiResource.Account));

    /// <summary>A share link may call this sweep or trial read for its own sweep.</summary>
    public static TBuilder AllowShareLinks<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(AllowShareLinksMetadata.Instance);

    private static ArgumentException Unknown(string role) => new($"Unknown project role '{role}'.", nameof(role));
}

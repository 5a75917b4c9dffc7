namespace Sweep.Data.Entities;

/// <summary>An account's role in a project: <see cref="ProjectRoles"/>.</summary>
public sealed class ProjectMember
{
    public Guid ProjectId { get; set; }

    public Guid UserId { get; set; }

    public required string Role { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public ProjectRecord? Project { get; set; }

    public SweepUser? User { get; set; }
}

/// <summary>Roles in increasing order of rights: viewers read, editors create and control sweeps, owners manage members.</summary>
public static class ProjectRoles
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Owner = "owner";

    public static readonly IReadOnlyList<string> All = [Viewer, Editor, Owner];

    /// <summary>0 viewer, 1 editor, 2 owner, -1 anything else; compare ranks, never names.</summary>
    public static int Rank(string? role) => role switch
    {
        Viewer => 0,
        Editor => 1,
        Owner => 2,
        _ => -1,
    };
}

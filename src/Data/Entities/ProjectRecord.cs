namespace Sweep.Data.Entities;

/// <summary>A group of sweeps with its members. Private projects are invisible to non-members.</summary>
public sealed class ProjectRecord
{
    /// <summary>The project that holds sweeps created without one, and every sweep that existed before projects.</summary>
    public static readonly Guid DefaultId = new("00000000-0000-0000-0000-000000000001");

    public const string DefaultSlug = "default";

    public Guid Id { get; set; }

    /// <summary>Lower-case letters, digits and dashes; unique; usable in place of the id.</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary><see cref="ProjectVisibility"/>: private, or internal (every signed-in user reads it).</summary>
    public string Visibility { get; set; } = ProjectVisibility.Private;

    public DateTimeOffset CreatedAt { get; set; }

    public List<ProjectMember> Members { get; set; } = [];
}

public static class ProjectVisibility
{
    public const string Private = "private";
    public const string Internal = "internal";

    public static readonly IReadOnlyList<string> All = [Private, Internal];
}

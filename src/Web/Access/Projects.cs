using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>Projects and their members. Callers check roles with <see cref="SweepAccess"/> before changing anything.</summary>
public sealed partial class Projects(IDbContextFactory<SweepDbContext> contexts, SweepAccess access, TimeProvider clock)
{
    /// <summary>The projects the user sees, with the user's role in each.</summary>
    public async Task<List<ProjectView>> ListAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.UserId() is not { } userId)
        {
            return [];
        }

        var admin = user.IsAdmin();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Projects.AsNoTracking()
            .Where(p => admin || p.Visibility == ProjectVisibility.Internal || p.Members.Any(m => m.UserId == userId))
            .OrderBy(p => p.Name)
            .Select(p => new
            {
                p.Id, p.Slug, p.Name, p.Visibility, p.CreatedAt,
                Role = p.Members.Where(m => m.UserId == userId).Select(m => m.Role).FirstOrDefault(),
                Members = p.Members.Count,
            })
            .ToListAsync(ct);
        return rows.Select(p => new ProjectView(
            p.Id, p.Slug, p.Name, p.Visibility, admin ? ProjectRoles.Owner : p.Role ?? ProjectRoles.Viewer, p.Members, p.CreatedAt)).ToList();
    }

    public async Task<ProjectView?> GetAsync(ClaimsPrincipal user, Guid id, CancellationToken ct) =>
        (await ListAsync(user, ct)).FirstOrDefault(p => p.Id == id);

    /// <summary>A project's id from its id or slug; null when there is no such project.</summary>
    public async Task<Guid?> FindAsync(string idOrSlug, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var slug = idOrSlug.Trim().ToLowerInvariant();
        return Guid.TryParse(idOrSlug, out var id)
            ? await db.Projects.Where(p => p.Id == id).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
            : await db.Projects.Where(p => p.Slug == slug).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Creates a project with the creator as its owner.</summary>
    public async Task<(ProjectView? Project, Dictionary<string, string[]> Errors)> CreateAsync(
        Guid ownerId, string? name, string? slug, string? visibility, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors["name"] = ["Give the project a name of 1 to 200 characters."];
        }

        slug = string.IsNullOrWhiteSpace(slug) ? Slugify(name ?? "") : slug.Trim().ToLowerInvariant();
        if (!SlugPattern().IsMatch(slug) || Guid.TryParse(slug, out _))
        {
            errors["slug"] = [$"'{slug}' is not a slug: 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit."];
        }

        visibility ??= ProjectVisibility.Private;
        if (!ProjectVisibility.All.Contains(visibility))
        {
            errors["visibility"] = [$"Unknown visibility '{visibility}'. Visibilities: {string.Join(", ", ProjectVisibility.All)}."];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (errors.Count == 0 && await db.Projects.AnyAsync(p => p.Slug == slug, ct))
        {
            errors["slug"] = [$"A project with the slug '{slug}' exists already."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = clock.GetUtcNow();
        var project = new ProjectRecord { Id = Guid.CreateVersion7(), Slug = slug, Name = name!, Visibility = visibility, CreatedAt = now };
        project.Members.Add(new ProjectMember { UserId = ownerId, Role = ProjectRoles.Owner, AddedAt = now });
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return (new ProjectView(project.Id, slug, name!, visibility, ProjectRoles.Owner, 1, now), errors);
    }

    /// <summary>
    /// A project's members. Only owners (administrators included) see e-mail addresses: an address is a sign-in name and
    /// a phishing target, and a viewer needs neither. Others see a stable alias made from the account id.
    /// </summary>
    public async Task<List<MemberView>> MembersAsync(ClaimsPrincipal user, Guid projectId, CancellationToken ct)
    {
        var withEmails = user.SharedSweepId() is null && await access.RoleAsync(user, projectId, ct) == ProjectRoles.Owner;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == projectId)
            .OrderBy(m => m.AddedAt)
            .Select(m => new { m.UserId, Email = m.User!.Email ?? m.User.UserName ?? "", m.Role, m.AddedAt })
            .ToListAsync(ct);
        return rows.Select(m => new MemberView(
            m.UserId, withEmails ? m.Email : null, withEmails ? m.Email : MemberView.Alias(m.UserId), m.Role, m.AddedAt)).ToList();
    }

    /// <summary>Adds the account with this email, or changes its role. Errors name the field.</summary>
    public async Task<Dictionary<string, string[]>> SetMemberAsync(Guid projectId, string? email, string? role, CancellationToken ct)
    {
        if (role is null || !ProjectRoles.All.Contains(role))
        {
            return new() { ["role"] = [$"Unknown role '{role}'. Roles: {string.Join(", ", ProjectRoles.All)}."] };
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var normalized = email?.Trim().ToUpperInvariant();
        var userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        if (userId is not { } id)
        {
            return new() { ["email"] = [$"No account has the email '{email}'."] };
        }

        var member = await db.ProjectMembers.FirstOrDefaultAsync(m => m.ProjectId == projectId && m.UserId == id, ct);
        if (member is null)
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = id, Role = role, AddedAt = clock.GetUtcNow() });
        }
        else
        {
            if (member.Role == ProjectRoles.Owner && role != ProjectRoles.Owner && await IsLastOwnerAsync(db, projectId, ct))
            {
                return new() { ["role"] = ["A project keeps at least one owner."] };
            }

            member.Role = role;
        }

        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Null when removed; else why not (no such member, or the last owner).</summary>
    public async Task<string?> RemoveMemberAsync(Guid projectId, Guid userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var member = await db.ProjectMembers.FirstOrDefaultAsync(m => m.ProjectId == projectId && m.UserId == userId, ct);
        if (member is null)
        {
            return "not-found";
        }

        if (member.Role == ProjectRoles.Owner && await IsLastOwnerAsync(db, projectId, ct))
        {
            return "A project keeps at least one owner.";
        }

        db.ProjectMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The outcome of the current caller acting on a project with the given role.</summary>
    public Task<AccessOutcome> CheckAsync(ClaimsPrincipal user, Guid projectId, string needed, CancellationToken ct) =>
        access.ProjectAsync(user, projectId, needed, ct);

    private static async Task<bool> IsLastOwnerAsync(SweepDbContext db, Guid projectId, CancellationToken ct) =>
        await db.ProjectMembers.CountAsync(m => m.ProjectId == projectId && m.Role == ProjectRoles.Owner, ct) <= 1;

    internal static string Slugify(string name)
    {
        var slug = NonSlug().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return slug.Length > 64 ? slug[..64].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}

public sealed record ProjectView(Guid Id, string Slug, string Name, string Visibility, string Role, int MemberCount, DateTimeOffset CreatedAt);

/// <summary>A member as a list shows it: <see cref="Email"/> is null unless the caller owns the project.</summary>
public sealed record MemberView(Guid UserId, string? Email, string Name, string Role, DateTimeOffset AddedAt)
{
    /// <summary>What non-owners see of a member: "member" and the end of the account id (random in a version-7 GUID).</summary>
    public static string Alias(Guid userId) => "member " + userId.ToString("N")[^8..];
}

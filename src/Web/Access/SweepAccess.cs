using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>What a caller may do with one resource.</summary>
public enum AccessOutcome
{
    Allowed,

    /// <summary>The caller sees the resource but lacks the role or scope: 403.</summary>
    Forbidden,

    /// <summary>The resource is in a project the caller cannot see: 404, exactly as if it did not exist.</summary>
    Hidden,

    /// <summary>No such resource; the endpoint answers its own 404.</summary>
    Missing,
}

/// <summary>
/// The one place that turns (caller, sweep, trial or project) into a decision, from the caller's role and the
/// credential's scope together: API middleware, static pages and interactive circuits all ask here. Administrators
/// own every project; members have their role; every signed-in user is a viewer of an internal project; a share link
/// is a viewer of its sweep only; a read-only token or a share link asking for more than viewing is refused.
/// </summary>
public sealed class SweepAccess(IDbContextFactory<SweepDbContext> contexts, CurrentCaller caller, ShareLinks shareLinks)
{
    /// <summary>The caller's role in a project (<see cref="ProjectRoles"/>), or null when the project is hidden from them.</summary>
    public async Task<string?> RoleAsync(ClaimsPrincipal user, Guid projectId, CancellationToken ct)
    {
        if (user.UserId() is not { } userId)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var project = await db.Projects.AsNoTracking()
            .Where(p => p.Id == projectId)
            .Select(p => new { p.Visibility, Role = p.Members.Where(m => m.UserId == userId).Select(m => m.Role).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (project is null)
        {
            return null;
        }

        if (user.IsAdmin())
        {
            return ProjectRoles.Owner;
        }

        return project.Role ?? (project.Visibility == ProjectVisibility.Internal ? ProjectRoles.Viewer : null);
    }

    public async Task<AccessOutcome> SweepAsync(ClaimsPrincipal user, Guid sweepId, string needed, CancellationToken ct)
    {
        if (user.SharedSweepId() is { } shared)
        {
            return shared != sweepId ? AccessOutcome.Hidden
                : needed == ProjectRoles.Viewer ? AccessOutcome.Allowed
                : AccessOutcome.Forbidden;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var projectId = await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId).Select(s => (Guid?)s.ProjectId).FirstOrDefaultAsync(ct);
        return projectId is { } p ? Decide(user, await RoleAsync(user, p, ct), needed) : AccessOutcome.Missing;
    }

    public async Task<AccessOutcome> TrialAsync(ClaimsPrincipal user, Guid trialId, string needed, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweepId = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => (Guid?)t.SweepId).FirstOrDefaultAsync(ct);
        return sweepId is { } s ? await SweepAsync(user, s, needed, ct) : AccessOutcome.Missing;
    }

    public async Task<AccessOutcome> ProjectAsync(ClaimsPrincipal user, Guid projectId, string needed, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct))
        {
            return AccessOutcome.Missing;
        }

        return user.SharedSweepId() is not null ? AccessOutcome.Hidden : Decide(user, await RoleAsync(user, projectId, ct), needed);
    }

    /// <summary>A project named by id or slug, as the project routes name it.</summary>
    public async Task<AccessOutcome> ProjectAsync(ClaimsPrincipal user, string idOrSlug, string needed, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var slug = idOrSlug.Trim().ToLowerInvariant();
        var id = Guid.TryParse(idOrSlug, out var parsed)
            ? await db.Projects.Where(p => p.Id == parsed).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
            : await db.Projects.Where(p => p.Slug == slug).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        return id is { } found ? await ProjectAsync(user, found, needed, ct) : AccessOutcome.Missing;
    }

    /// <summary>The projects whose sweeps the current caller may list; null means every project (administrators).</summary>
    public async Task<IReadOnlyList<Guid>?> ReadableProjectsAsync(CancellationToken ct)
    {
        var user = await caller.GetAsync(ct);
        if (user.IsAdmin())
        {
            return null;
        }

        if (user.UserId() is not { } userId)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking()
            .Where(p => p.Visibility == ProjectVisibility.Internal || p.Members.Any(m => m.UserId == userId))
            .Select(p => p.Id)
            .ToListAsync(ct);
    }

    /// <summary>
    /// The signed-in caller's account id, for the list's "Mine" filter and its "you" owner; null for a share link or
    /// an anonymous caller, who created nothing.
    /// </summary>
    public async Task<Guid?> MemberIdAsync(CancellationToken ct)
    {
        var user = await caller.GetAsync(ct);
        return user.SharedSweepId() is null ? user.UserId() : null;
    }

    /// <summary>The project a new sweep goes to (id or slug; none means the default project) and whether the caller may create there.</summary>
    public async Task<(Guid ProjectId, AccessOutcome Outcome)> CreateTargetAsync(ClaimsPrincipal user, string? project, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var slug = project?.Trim().ToLowerInvariant();
        Guid? id = string.IsNullOrWhiteSpace(project)
            ? ProjectRecord.DefaultId
            : Guid.TryParse(project, out var parsed)
                ? await db.Projects.Where(p => p.Id == parsed).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
                : await db.Projects.Where(p => p.Slug == slug).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (id is not { } target)
        {
            return (Guid.Empty, AccessOutcome.Missing);
        }

        var outcome = await ProjectAsync(user, target, ProjectRoles.Editor, ct);
        return (target, outcome == AccessOutcome.Missing ? AccessOutcome.Hidden : outcome);
    }

    /// <summary>The current caller's outcome, for Blazor pages (a circuit's caller is re-validated on each call).</summary>
    public async Task<AccessOutcome> CurrentSweepAsync(Guid sweepId, string needed, CancellationToken ct) =>
        await SweepAsync(await caller.GetAsync(ct), sweepId, needed, ct);

    public async Task<AccessOutcome> CurrentTrialAsync(Guid trialId, string needed, CancellationToken ct) =>
        await TrialAsync(await caller.GetAsync(ct), trialId, needed, ct);

    /// <summary>
    /// A shared results page's outcome: the page holds the link itself (its visitor may have no session), so the link
    /// is read again on every call and a revoked or expired link is hidden from then on.
    /// </summary>
    public async Task<AccessOutcome> SharedSweepAsync(string shareToken, Guid sweepId, string needed, CancellationToken ct)
    {
        var link = await shareLinks.ResolveAsync(shareToken, ct);
        return link is not { } l || l.SweepId != sweepId ? AccessOutcome.Hidden
            : needed == ProjectRoles.Viewer ? AccessOutcome.Allowed
            : AccessOutcome.Forbidden;
    }

    /// <summary>
    /// A shared trial page's outcome (/s/{token}/trials/{id}): the link is read again on every call, and a trial of
    /// another sweep is hidden exactly like a missing one, so a link opens no trial beyond its own sweep's.
    /// </summary>
    public async Task<AccessOutcome> SharedTrialAsync(string shareToken, Guid trialId, string needed, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweepId = await db.Trials.AsNoTracking().Where(t => t.Id == trialId).Select(t => (Guid?)t.SweepId).FirstOrDefaultAsync(ct);
        return sweepId is { } s ? await SharedSweepAsync(shareToken, s, needed, ct) : AccessOutcome.Hidden;
    }

    /// <summary>Whether the current caller may change account-wide things (create projects or tokens): an account with write scope.</summary>
    public async Task<AccessOutcome> CurrentAccountWriteAsync(CancellationToken ct)
    {
        var user = await caller.GetAsync(ct);
        return user.UserId() is null ? AccessOutcome.Hidden : user.MayWrite() ? AccessOutcome.Allowed : AccessOutcome.Forbidden;
    }

    /// <summary>Role first (a hidden resource stays hidden), then the credential's scope: reading is all a read-only credential does.</summary>
    private static AccessOutcome Decide(ClaimsPrincipal user, string? role, string needed) =>
        role is null ? AccessOutcome.Hidden
        : ProjectRoles.Rank(role) < ProjectRoles.Rank(needed) ? AccessOutcome.Forbidden
        : needed != ProjectRoles.Viewer && !user.MayWrite() ? AccessOutcome.Forbidden
        : AccessOutcome.Allowed;
}

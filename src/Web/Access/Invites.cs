using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>
/// Single-use, expiring sign-up links (<c>swi_…</c>) and the first administrator's setup code (<c>swa_…</c>). Only the
/// secret's SHA-256 is stored; a link is shown once, to its maker. Callers check who may make one before calling.
/// </summary>
public sealed class Invites(IDbContextFactory<SweepDbContext> contexts, IOptions<AccountOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan LongestLife = TimeSpan.FromDays(90);

    /// <summary>An invite to the deployment (no project) or to a project with a role. Errors name the field.</summary>
    public async Task<(string? Token, InviteView? Invite, Dictionary<string, string[]> Errors)> CreateAsync(
        Guid createdBy, Guid? projectId, string? role, string? email, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        var errors = Validate(projectId, role, email, expiresAt, now);
        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        var token = SecretTokens.NewInvite();
        var record = new InviteRecord
        {
            Id = Guid.CreateVersion7(), TokenHash = SecretTokens.Hash(token), Email = email, ProjectId = projectId,
            Role = projectId is null ? null : role, CreatedBy = createdBy, CreatedAt = now,
            ExpiresAt = expiresAt ?? now.AddHours(options.Value.InviteHours),
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Invites.Add(record);
        await db.SaveChangesAsync(ct);
        return (token, InviteView.Of(record, now), errors);
    }

    /// <summary>A project's invites, or (null) every invite of the deployment; newest first, never their secrets.</summary>
    public async Task<List<InviteView>> ListAsync(Guid? projectId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Invites.AsNoTracking()
            .Where(i => !i.GrantsAdmin && (projectId == null || i.ProjectId == projectId))
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(ct);
        return rows.Select(i => InviteView.Of(i, now)).ToList();
    }

    /// <summary>False when there is no such unused invite (in that project, when one is named).</summary>
    public async Task<bool> RevokeAsync(Guid? projectId, Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Invites
            .Where(i => i.Id == id && !i.GrantsAdmin && (projectId == null || i.ProjectId == projectId) && i.UsedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.RevokedAt, clock.GetUtcNow()), ct) == 1;
    }

    /// <summary>A new setup code for the first administrator; any earlier unused one stops working.</summary>
    public async Task<(string Code, DateTimeOffset ExpiresAt)> NewSetupCodeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RevokeSetupCodesAsync(ct);
        var code = SecretTokens.NewSetupCode();
        var expires = now.AddHours(options.Value.SetupCodeHours);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Invites.Add(new InviteRecord { Id = Guid.CreateVersion7(), TokenHash = SecretTokens.Hash(code), GrantsAdmin = true, CreatedAt = now, ExpiresAt = expires });
        await db.SaveChangesAsync(ct);
        return (code, expires);
    }

    public async Task RevokeSetupCodesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Invites.Where(i => i.GrantsAdmin && i.UsedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.RevokedAt, clock.GetUtcNow()), ct);
    }

    /// <summary>The invite or setup code behind a secret, if it is unused, unrevoked and unexpired.</summary>
    public async Task<InviteRecord?> FindUsableAsync(string code, CancellationToken ct)
    {
        if (!code.StartsWith(SecretTokens.InvitePrefix, StringComparison.Ordinal) && !code.StartsWith(SecretTokens.SetupCodePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = SecretTokens.Hash(code);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Invites.AsNoTracking()
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct);
    }

    /// <summary>Marks the invite used by this account; false when another registration used it first (single use).</summary>
    public async Task<bool> ClaimAsync(Guid inviteId, Guid userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Invites
            .Where(i => i.Id == inviteId && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedBy, userId), ct) == 1;
    }

    private Dictionary<string, string[]> Validate(Guid? projectId, string? role, string? email, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (projectId is not null && (role is null || !ProjectRoles.All.Contains(role)))
        {
            errors["role"] = [$"Give the role the new account gets in the project: {string.Join(", ", ProjectRoles.All)}."];
        }

        if (email is not null && (email.Length > 256 || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email)))
        {
            errors["email"] = [$"'{email}' is not an e-mail address."];
        }
        else if (email is not null && !options.Value.DomainAllowed(email))
        {
            errors["email"] = ["This deployment does not accept accounts of that e-mail domain (Accounts:AllowedEmailDomains)."];
        }

        if (expiresAt is { } at && (at <= now || at - now > LongestLife))
        {
            errors["expiresAt"] = ["An invite expires in the future and within 90 days."];
        }

        return errors;
    }
}

/// <summary>An invite as lists show it: never its secret.</summary>
public sealed record InviteView(
    Guid Id, Guid? ProjectId, string? Role, string? Email, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt, Guid? UsedBy, DateTimeOffset? RevokedAt, string State)
{
    internal static InviteView Of(InviteRecord i, DateTimeOffset now) => new(
        i.Id, i.ProjectId, i.Role, i.Email, i.CreatedAt, i.ExpiresAt, i.UsedAt, i.UsedBy, i.RevokedAt,
        i.UsedAt is not null ? "used" : i.RevokedAt is not null ? "revoked" : i.ExpiresAt <= now ? "expired" : "active");
}

using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>Read-only links to one sweep's results. The secret is returned once; only its hash is stored.</summary>
public sealed class ShareLinks(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    /// <summary>The longest name a link may carry (the column's width).</summary>
    public const int MaxNameLength = 100;

    /// <param name="name">Optional: whom or what the link is for ("reviewers", "lab meeting"), so it can be told apart and revoked.</param>
    public async Task<(string? Token, ShareLinkView? View, Dictionary<string, string[]> Errors)> CreateAsync(
        Guid sweepId, Guid? createdBy, string? name, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name is { Length: > MaxNameLength })
        {
            errors["name"] = [$"The name may have at most {MaxNameLength} characters; it has {name.Length}."];
        }

        if (expiresAt is { } e && e <= now)
        {
            errors["expiresAt"] = ["The expiry must lie in the future."];
        }

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        var token = SecretTokens.NewShareToken();
        var record = new ShareLinkRecord
        {
            Id = Guid.CreateVersion7(),
            SweepId = sweepId,
            Name = name,
            TokenHash = SecretTokens.Hash(token),
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ShareLinks.Add(record);
        await db.SaveChangesAsync(ct);
        return (token, View(record), []);
    }

    public async Task<List<ShareLinkView>> ListAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ShareLinks.AsNoTracking().Where(s => s.SweepId == sweepId).OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        return rows.Select(View).ToList();
    }

    public async Task<bool> RevokeAsync(Guid sweepId, Guid linkId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await db.ShareLinks.Where(s => s.Id == linkId && s.SweepId == sweepId && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), ct) == 1;
    }

    /// <summary>The sweep an active link opens, with the link's expiry; null for an unknown, revoked or expired link.</summary>
    public async Task<(Guid SweepId, DateTimeOffset? ExpiresAt)?> ResolveAsync(string? token, CancellationToken ct)
    {
        if (token is null || !token.StartsWith(SecretTokens.ShareLinkPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var link = await db.ShareLinks.AsNoTracking()
            .Where(s => s.TokenHash == hash && s.RevokedAt == null && (s.ExpiresAt == null || s.ExpiresAt > now))
            .Select(s => new { s.SweepId, s.ExpiresAt })
            .FirstOrDefaultAsync(ct);
        return link is null ? null : (link.SweepId, link.ExpiresAt);
    }

    private ShareLinkView View(ShareLinkRecord s) => new(
        s.Id, s.SweepId, s.CreatedAt, s.ExpiresAt, s.RevokedAt,
        s.RevokedAt is null && (s.ExpiresAt is null || s.ExpiresAt > clock.GetUtcNow()), s.Name);
}

/// <param name="Name">What the link is for, as its creator named it; null when unnamed.</param>
public sealed record ShareLinkView(Guid Id, Guid SweepId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Active, string? Name);

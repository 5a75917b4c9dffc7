using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;

namespace Sweep.Web.Access;

/// <summary>A user's personal access tokens: created (the secret is returned once), listed (never the secret), revoked.</summary>
public sealed class AccessTokens(IDbContextFactory<SweepDbContext> contexts, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<(string? Token, AccessTokenView? View, Dictionary<string, string[]> Errors)> CreateAsync(
        Guid userId, string? name, string? scope, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"Give the token a name of 1 to {MaxNameLength} characters."];
        }

        if (scope is not null && !TokenScopes.All.Contains(scope))
        {
            errors["scope"] = [$"Unknown scope '{scope}'. Scopes: {string.Join(", ", TokenScopes.All)}."];
        }

        if (expiresAt is { } e && e <= now)
        {
            errors["expiresAt"] = ["The expiry must lie in the future."];
        }

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        var token = SecretTokens.NewAccessToken();
        var record = new AccessTokenRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name!.Trim(),
            TokenHash = SecretTokens.Hash(token),
            Prefix = SecretTokens.DisplayPrefix(token),
            Scope = scope ?? TokenScopes.Read,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AccessTokens.Add(record);
        await db.SaveChangesAsync(ct);
        return (token, View(record), errors);
    }

    public async Task<List<AccessTokenView>> ListAsync(Guid userId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        return rows.Select(View).ToList();
    }

    /// <summary>True when the user's token was active and is now revoked.</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await db.AccessTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct) == 1;
    }

    private AccessTokenView View(AccessTokenRecord t) => new(
        t.Id, t.Name, t.Prefix, t.Scope, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt,
        t.RevokedAt is null && (t.ExpiresAt is null || t.ExpiresAt > clock.GetUtcNow()));
}

public sealed record AccessTokenView(
    Guid Id, string Name, string Prefix, string Scope, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, bool Active);

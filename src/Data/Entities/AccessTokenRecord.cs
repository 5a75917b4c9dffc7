namespace Sweep.Data.Entities;

/// <summary>
/// A personal access token. Only the SHA-256 of the token is stored: the token has 256 random bits, so a fast hash
/// is as safe as a slow one and lets every API request find its token by an indexed lookup.
/// </summary>
public sealed class AccessTokenRecord
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The first characters of the token, shown in lists so that a user can tell tokens apart.</summary>
    public required string Prefix { get; set; }

    /// <summary>read or read-write.</summary>
    public required string Scope { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public SweepUser? User { get; set; }
}

public static class TokenScopes
{
    public const string Read = "read";
    public const string ReadWrite = "read-write";

    public static readonly IReadOnlyList<string> All = [Read, ReadWrite];
}

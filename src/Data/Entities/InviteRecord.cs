namespace Sweep.Data.Entities;

/// <summary>
/// A single-use, expiring link that lets one person create an account. An owner's invite may grant a role in their
/// project; the one-time setup code that makes the first administrator is an invite that grants the admin role.
/// Like access tokens, only the secret's SHA-256 is stored.
/// </summary>
public sealed class InviteRecord
{
    public Guid Id { get; set; }

    public required string TokenHash { get; set; }

    /// <summary>When set, only this address may use the invite.</summary>
    public string? Email { get; set; }

    /// <summary>The project the new account joins, with <see cref="Role"/>; null for an invite to the deployment only.</summary>
    public Guid? ProjectId { get; set; }

    public string? Role { get; set; }

    /// <summary>True for the first-administrator setup code.</summary>
    public bool GrantsAdmin { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public Guid? UsedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public ProjectRecord? Project { get; set; }
}

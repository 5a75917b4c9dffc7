namespace Sweep.Data.Entities;

/// <summary>A read-only link to one sweep's results; like access tokens, only the token's SHA-256 is stored.</summary>
public sealed class ShareLinkRecord
{
    public Guid Id { get; set; }

    public Guid SweepId { get; set; }

    public required string TokenHash { get; set; }

    /// <summary>What the link is for ("reviewers", "lab meeting"), so that it can be told apart when revoking.</summary>
    public string? Name { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public SweepRecord? Sweep { get; set; }
}

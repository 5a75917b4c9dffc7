namespace Sweep.Data.Entities;

/// <summary>
/// An Idempotency-Key seen on POST /api/v1/sweeps, stored in the same transaction as the sweep it created, so that a
/// retried (or racing) request finds it and replays the first response instead of creating a second sweep.
/// Keys are honoured for 24 hours; an older key is treated as unused.
/// </summary>
public sealed class IdempotencyKey
{
    /// <summary>
    /// Who the key belongs to (a user or token id once accounts exist; empty for anonymous callers), so that two
    /// callers who happen to pick the same key never see each other's sweeps.
    /// </summary>
    public string Scope { get; set; } = "";

    public required string Key { get; set; }

    /// <summary>SHA-256 of the request body (hex): the same key with a different body is a client error.</summary>
    public required string RequestHash { get; set; }

    public Guid SweepId { get; set; }

    public int StatusCode { get; set; }

    /// <summary>The first response's JSON body (jsonb), replayed as is.</summary>
    public required string Response { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

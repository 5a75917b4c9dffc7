using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>An Idempotency-Key a create request carries, with the hash of what it asks for.</summary>
/// <param name="Scope">Whose key it is: empty for anonymous callers, a user or token id once there are accounts.</param>
public sealed record IdempotencyClaim(string Scope, string Key, string RequestHash)
{
    /// <summary>
    /// The hash is taken over the target project and the spec as it will be stored (defaults filled in, one spelling),
    /// so that a retry that re-serializes the same request differently still counts as the same request, and the
    /// same key and body sent to another project is another request (refused), never a replay of the first
    /// project's sweep.
    /// </summary>
    public static IdempotencyClaim For(string scope, string key, Guid projectId, SweepSpec spec) =>
        new(scope, key, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{projectId:D}\n{SweepJson.Serialize(spec)}"))));
}

/// <summary>What a create request came to.</summary>
/// <param name="Replayed">True when an earlier request with the same key and body created <see cref="Created"/>.</param>
/// <param name="KeyReused">True when the key was used before for a different body: nothing is created.</param>
public sealed record SweepCreationOutcome(SweepCreated? Created, IReadOnlyDictionary<string, string[]> Errors, bool Replayed = false, bool KeyReused = false);

/// <summary>Idempotency keys of POST /api/v1/sweeps: how long they last, what a valid one is, and their storage.</summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set to "true" on a response that replays an earlier one.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxKeyLength = 200;

    /// <summary>A key is honoured this long after its first use; afterwards the same key creates a new sweep.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Null when the key is usable, else why not. Keys are opaque; UUIDs are a good choice.</summary>
    public static string? Problem(string key) =>
        key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? $"An Idempotency-Key is 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good choice)."
            : null;

    /// <summary>The live (unexpired) record of a key, if any.</summary>
    public static Task<IdempotencyKey?> FindAsync(SweepDbContext db, IdempotencyClaim claim, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Lifetime;
        return db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.Scope == claim.Scope && k.Key == claim.Key && k.CreatedAt > since, ct);
    }

    /// <summary>Answers a request whose key was used before: the first response, or a refusal if the body differs.</summary>
    public static SweepCreationOutcome Replay(IdempotencyKey stored, IdempotencyClaim claim) =>
        stored.RequestHash == claim.RequestHash
            ? new SweepCreationOutcome(JsonSerializer.Deserialize<SweepCreated>(stored.Response, Json), NoErrors, Replayed: true)
            : new SweepCreationOutcome(null, NoErrors, KeyReused: true);

    public static IdempotencyKey Record(IdempotencyClaim claim, SweepCreated created, DateTimeOffset now) => new()
    {
        Scope = claim.Scope,
        Key = claim.Key,
        RequestHash = claim.RequestHash,
        SweepId = created.Id,
        StatusCode = StatusCodes.Status201Created,
        Response = JsonSerializer.Serialize(created, Json),
        CreatedAt = now,
    };

    /// <summary>An expired row of this key would block the new one on the primary key: it goes first.</summary>
    public static Task<int> DeleteExpiredAsync(SweepDbContext db, IdempotencyClaim claim, DateTimeOffset now, CancellationToken ct)
    {
        var expired = now - Lifetime;
        return db.IdempotencyKeys.Where(k => k.Scope == claim.Scope && k.Key == claim.Key && k.CreatedAt <= expired).ExecuteDeleteAsync(ct);
    }

    /// <summary>Keys past their lifetime are of no use; deleting them keeps the table small.</summary>
    public static Task<int> PurgeAsync(SweepDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var expired = now - Lifetime;
        return db.IdempotencyKeys.Where(k => k.CreatedAt <= expired).ExecuteDeleteAsync(ct);
    }

    /// <summary>True when another request inserted the same key first (it committed while this one waited).</summary>
    public static bool IsKeyTaken(DbUpdateException ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotency_keys" };

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();
}

using System.ComponentModel.DataAnnotations;

namespace Sweep.Web.Access;

/// <summary>How many heavy reads (exports, archives, checkpoint downloads) one credential may run at the same time.</summary>
public sealed class HeavyReadOptions
{
    public const string Section = "RateLimits";

    /// <summary>Concurrent heavy reads per credential (token, share link, account, or client address).</summary>
    [Range(1, 1000)]
    public int HeavyReadsPerCredential { get; set; } = 2;

    /// <summary>What a refused client is told to wait, in seconds (Retry-After).</summary>
    [Range(1, 3600)]
    public int HeavyReadRetryAfterSeconds { get; set; } = 2;
}

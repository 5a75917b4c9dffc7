using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sweep.Domain.Webhooks;

/// <summary>
/// HMAC-SHA256 signatures in the Stripe style: <c>Sweep-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC of "t.body"&gt;</c>,
/// and <c>Sweep-Timestamp: &lt;unix seconds&gt;</c>. Signing the timestamp with the body lets a receiver refuse a
/// replayed request once it is older than its tolerance (<see cref="Verify"/>).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "Sweep-Signature";

    public const string TimestampHeader = "Sweep-Timestamp";

    /// <summary>Five minutes either way: clock skew between Sweep and the receiver, and no more.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The lower-case hex HMAC-SHA256 of "<paramref name="timestamp"/>.<paramref name="body"/>".</summary>
    public static string Compute(string secret, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{body}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>The <see cref="SignatureHeader"/> value for the body sent at <paramref name="timestamp"/>.</summary>
    public static string Header(string secret, long timestamp, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Compute(secret, timestamp, body)}");

    /// <summary>
    /// True when <paramref name="header"/> carries a v1 signature of the body under the secret and its timestamp is
    /// within <paramref name="tolerance"/> of <paramref name="now"/>. Compared in constant time.
    /// </summary>
    public static WebhookVerification Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!TryParse(header, out var timestamp, out var signatures))
        {
            return WebhookVerification.Malformed;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return WebhookVerification.OutsideTolerance;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)))
            ? WebhookVerification.Valid
            : WebhookVerification.BadSignature;
    }

    /// <summary>Reads <c>t=…</c> and every <c>v1=…</c> (a rotation may send two); false without either.</summary>
    private static bool TryParse(string? header, out long timestamp, out List<string> signatures)
    {
        timestamp = 0;
        signatures = [];
        var hasTimestamp = false;
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                hasTimestamp = long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signatures.Add(part[3..]);
            }
        }

        return hasTimestamp && signatures.Count > 0;
    }
}

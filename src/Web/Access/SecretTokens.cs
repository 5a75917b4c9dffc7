using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Sweep.Web.Access;

/// <summary>
/// Bearer secrets: a kind prefix and 256 random bits in base64url. The prefix tells the handler which table to look in
/// and lets log redaction and secret scanners recognize a leaked token. Only <see cref="Hash"/> is ever stored.
/// </summary>
public static partial class SecretTokens
{
    public const string AccessTokenPrefix = "swp_";
    public const string ShareLinkPrefix = "sws_";

    /// <summary>An invite link's secret: redacted from logs like the others.</summary>
    public const string InvitePrefix = "swi_";

    /// <summary>
    /// The first administrator's one-time setup code. Deliberately not redacted: the log is where the operator reads
    /// it, it works once, expires, and is replaced at every start while no account exists.
    /// </summary>
    public const string SetupCodePrefix = "swa_";

    /// <summary>A webhook's signing secret: redacted from logs like the others; stored encrypted, not hashed (signing needs it).</summary>
    public const string WebhookSecretPrefix = "swh_";

    public static string NewWebhookSecret() => WebhookSecretPrefix + Random();

    public static string NewAccessToken() => AccessTokenPrefix + Random();

    public static string NewShareToken() => ShareLinkPrefix + Random();

    public static string NewInvite() => InvitePrefix + Random();

    public static string NewSetupCode() => SetupCodePrefix + Random();

    /// <summary>Lower-case hex SHA-256. The token has 256 random bits, so a fast unsalted hash cannot be reversed.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>What lists show of a token: its kind and first characters, never enough to use it.</summary>
    public static string DisplayPrefix(string token) => token[..Math.Min(token.Length, 10)];

    /// <summary>Text with every Sweep token replaced by its kind and "[redacted]".</summary>
    public static string Redact(string text) => Pattern().Replace(text, m => m.Groups[1].Value + "[redacted]");

    public static bool ContainsSecret(string? text) => text is not null && Pattern().IsMatch(text);

    private static string Random() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // 20+ characters after the prefix: short enough to catch a truncated token, long enough to leave words alone.
    [GeneratedRegex(@"(sw[psih]_)[A-Za-z0-9_\-]{20,}")]
    private static partial Regex Pattern();
}

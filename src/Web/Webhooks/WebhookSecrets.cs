using Microsoft.AspNetCore.DataProtection;
using Sweep.Web.Access;

namespace Sweep.Web.Webhooks;

/// <summary>
/// Webhook signing secrets, protected with the web's Data Protection key ring (kept in the database, shared by
/// replicas): signing needs the secret itself, so it is encrypted rather than hashed, and never logged.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Purpose = "Sweep.Webhooks.Secret.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public static string New() => SecretTokens.NewWebhookSecret();

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

using System.ComponentModel.DataAnnotations;

namespace Sweep.Web.Access;

/// <summary>
/// Who may create an account. <c>closed</c> (the default): only those an administrator invites, and the first
/// administrator with the setup code;
/// <c>invite</c>: with an invite link made by a project owner or an administrator; <c>open</c>: anyone. The e-mail
/// domain allow-list applies in every mode. New accounts get no project role unless their invite grants one.
/// </summary>
public sealed class AccountOptions : IValidatableObject
{
    public const string Section = "Accounts";

    public const string Closed = "closed";
    public const string Invite = "invite";
    public const string Open = "open";

    [Required, AllowedValues(Closed, Invite, Open)]
    public string Registration { get; set; } = Closed;

    /// <summary>Domains (e.g. <c>example.org</c>) whose addresses may register; empty means any domain.</summary>
    public List<string> AllowedEmailDomains { get; set; } = [];

    /// <summary>How long an invite link stays usable when its maker names no expiry.</summary>
    [Range(1, 24 * 90)]
    public int InviteHours { get; set; } = 24 * 7;

    /// <summary>How long the first administrator's setup code stays usable (a restart makes a new one).</summary>
    [Range(1, 24 * 7)]
    public int SetupCodeHours { get; set; } = 24;

    public bool DomainAllowed(string email)
    {
        if (AllowedEmailDomains.Count == 0)
        {
            return true;
        }

        var at = email.LastIndexOf('@');
        var domain = at < 0 ? "" : email[(at + 1)..].Trim();
        return AllowedEmailDomains.Any(d => string.Equals(d.Trim(), domain, StringComparison.OrdinalIgnoreCase));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var domain in AllowedEmailDomains.Where(d => string.IsNullOrWhiteSpace(d) || d.Contains('@') || !d.Contains('.')))
        {
            yield return new ValidationResult(
                $"Accounts:AllowedEmailDomains: '{domain}' is not a domain (write example.org, without '@').", [nameof(AllowedEmailDomains)]);
        }
    }
}

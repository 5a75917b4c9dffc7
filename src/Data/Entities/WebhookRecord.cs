namespace Sweep.Data.Entities;

/// <summary>
/// A project's webhook: Sweep POSTs the events named in <see cref="Events"/> to <see cref="Url"/>, signed with a
/// secret that is shown once and stored encrypted with ASP.NET Data Protection (the web's key ring, in this
/// database), because signing needs the secret itself, not a hash of it.
/// </summary>
public sealed class WebhookRecord
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public required string Url { get; set; }

    /// <summary>The event types (Domain's WebhookEvents) the hook receives; <c>test</c> always reaches it.</summary>
    public required string[] Events { get; set; }

    /// <summary>The signing secret, protected by the web's IDataProtector (purpose WebhookSecrets.Purpose).</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary><c>json</c> (the event as it is) or <c>slack</c> (an incoming-webhook body, <c>{"text": …}</c>).</summary>
    public required string Preset { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public ProjectRecord? Project { get; set; }
}

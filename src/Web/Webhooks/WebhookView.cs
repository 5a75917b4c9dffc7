using Sweep.Data.Entities;

namespace Sweep.Web.Webhooks;

/// <summary>A webhook as lists show it: never its secret.</summary>
public sealed record WebhookView(Guid Id, Guid ProjectId, string Url, IReadOnlyList<string> Events, string Preset, DateTimeOffset CreatedAt)
{
    internal static WebhookView Of(WebhookRecord w) => new(w.Id, w.ProjectId, w.Url, w.Events, w.Preset, w.CreatedAt);
}

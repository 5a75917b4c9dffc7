using Sweep.Domain.Webhooks;

namespace Sweep.Web.Webhooks;

/// <summary>A webhook's fields, checked before anything is stored; errors name the field.</summary>
public static class WebhookValidation
{
    public static Dictionary<string, string[]> Validate(string? url, IReadOnlyList<string>? events, string preset)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(url) || url.Trim().Length > 2000
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            errors["url"] = ["Give an absolute http:// or https:// URL (2,000 characters at most)."];
        }

        if (events is null || events.Count == 0)
        {
            errors["events"] = [$"Name at least one event: {string.Join(", ", WebhookEvents.All)}."];
        }
        else if (events.Where(e => !WebhookEvents.IsKnown(e)).ToList() is { Count: > 0 } unknown)
        {
            errors["events"] = [$"Unknown event(s) {string.Join(", ", unknown)}; known: {string.Join(", ", WebhookEvents.All)}."];
        }

        if (!WebhookPresets.All.Contains(preset, StringComparer.Ordinal))
        {
            errors["preset"] = [$"The preset is one of {string.Join(", ", WebhookPresets.All)}."];
        }

        return errors;
    }
}

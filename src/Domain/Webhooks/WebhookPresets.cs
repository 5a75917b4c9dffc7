namespace Sweep.Domain.Webhooks;

/// <summary>How a hook's body is shaped: the event itself, or a Slack incoming-webhook message.</summary>
public static class WebhookPresets
{
    /// <summary>The event JSON as stored (<see cref="WebhookPayloads"/>).</summary>
    public const string Json = "json";

    /// <summary><c>{"text": "…"}</c>, the event's one-line summary, which Slack (and Mattermost, Discord's /slack) accept.</summary>
    public const string Slack = "slack";

    public static IReadOnlyList<string> All { get; } = [Json, Slack];
}

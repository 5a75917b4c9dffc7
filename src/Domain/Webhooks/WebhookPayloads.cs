using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sweep.Domain.Webhooks;

/// <summary>
/// Builds each event's JSON: <c>{"event", "occurredAt", "project": {id}, "text", "data": {…}}</c>. <c>text</c> is a
/// one-line summary for people (the Slack preset sends only it); <c>data</c> carries the facts for programs.
/// </summary>
public static class WebhookPayloads
{
    public static string SweepFinished(SweepFinishedFacts sweep, DateTimeOffset at)
    {
        var counts = new JsonObject();
        foreach (var (state, count) in sweep.CountsByState.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            counts[state] = count;
        }

        var summary = string.Join(", ", sweep.CountsByState.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key}")));
        var data = new JsonObject
        {
            ["sweepId"] = sweep.SweepId,
            ["sweepName"] = sweep.SweepName,
            ["trials"] = counts,
        };
        return Build(WebhookEvents.SweepFinished, sweep.ProjectId, at, $"Sweep '{sweep.SweepName}' finished: {summary}.", data);
    }

    public static string TrialFailed(string eventType, TrialFailedFacts trial, DateTimeOffset at)
    {
        var data = new JsonObject
        {
            ["sweepId"] = trial.SweepId,
            ["sweepName"] = trial.SweepName,
            ["trialId"] = trial.TrialId,
            ["failureKind"] = trial.FailureKind,
            ["error"] = trial.Error,
            ["attempt"] = trial.Attempt,
        };
        var text = $"Trial {trial.TrialId} of sweep '{trial.SweepName}' failed ({trial.FailureKind ?? "error"}): {trial.Error}";
        return Build(eventType, trial.ProjectId, at, text, data);
    }

    public static string WorkerPaused(Guid projectId, string worker, string reason, DateTimeOffset at) =>
        Build(WebhookEvents.WorkerPaused, projectId, at, $"Worker '{worker}' paused itself: {reason}",
            new JsonObject { ["worker"] = worker, ["reason"] = reason });

    public static string Test(Guid projectId, Guid webhookId, DateTimeOffset at) =>
        Build(WebhookEvents.Test, projectId, at, "Test event from Sweep: this webhook is reachable.", new JsonObject { ["webhookId"] = webhookId });

    /// <summary>The body a hook of <paramref name="preset"/> receives for the stored event.</summary>
    public static string Body(string preset, string payload)
    {
        if (preset != WebhookPresets.Slack)
        {
            return payload;
        }

        var text = JsonNode.Parse(payload)?["text"]?.GetValue<string>() ?? "";
        return new JsonObject { ["text"] = text }.ToJsonString();
    }

    private static string Build(string eventType, Guid projectId, DateTimeOffset at, string text, JsonObject data) =>
        new JsonObject
        {
            ["event"] = eventType,
            ["occurredAt"] = at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["project"] = new JsonObject { ["id"] = projectId },
            ["text"] = text,
            ["data"] = data,
        }.ToJsonString(JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
}

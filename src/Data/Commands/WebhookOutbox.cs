using Microsoft.EntityFrameworkCore;
using Sweep.Domain.Sweeps;
using Sweep.Domain.Webhooks;

namespace Sweep.Data.Commands;

/// <summary>
/// Writes webhook events into the outbox (<c>webhook_deliveries</c>), one pending row per subscribed hook of the
/// event's project, on the caller's connection and inside its transaction: the event exists if and only if the
/// state change that made it committed, so a crash between the two never loses one (docs/decisions/0012).
/// </summary>
public static class WebhookOutbox
{
    /// <summary>One row per hook of the project subscribed to <paramref name="eventType"/> (every hook, for <c>test</c>).</summary>
    public static Task<int> EnqueueAsync(SweepDbContext db, Guid projectId, string eventType, string payload, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, state, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), w.id, {eventType}, {payload}::json, 'pending', 0, now(), now()
              FROM webhooks w
             WHERE w.project_id = {projectId} AND ({eventType} = 'test' OR {eventType} = ANY (w.events))
            """,
            ct);

    /// <summary>The test event for one hook, whatever it subscribed to. False: no such hook in the project.</summary>
    public static async Task<bool> EnqueueTestAsync(SweepDbContext db, Guid projectId, Guid webhookId, CancellationToken ct)
    {
        var payload = WebhookPayloads.Test(projectId, webhookId, DateTimeOffset.UtcNow);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, state, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), w.id, {WebhookEvents.Test}, {payload}::json, 'pending', 0, now(), now()
              FROM webhooks w WHERE w.id = {webhookId} AND w.project_id = {projectId}
            """,
            ct) == 1;
    }

    /// <summary>
    /// After a trial reached a final state, in the same transaction: its failure event, if it failed, and
    /// sweep.finished if it was the last trial of an active sweep to settle. Costs one query when the project has no
    /// hook for either.
    /// </summary>
    public static async Task TrialEndedAsync(SweepDbContext db, Guid trialId, CancellationToken ct)
    {
        var facts = await db.Database.SqlQuery<EndedTrial>(
            $"""
            SELECT t.id AS trial_id, t.sweep_id, s.name AS sweep_name, s.project_id, t.state, t.failure_kind, t.error, t.attempt,
                   ARRAY(SELECT DISTINCT e FROM webhooks w, unnest(w.events) e WHERE w.project_id = s.project_id) AS subscribed
              FROM trials t JOIN sweeps s ON s.id = t.sweep_id
             WHERE t.id = {trialId}
            """).ToListAsync(ct);
        if (facts is not [var trial] || trial.Subscribed.Length == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        if (trial.State == TrialState.Failed && WebhookEvents.ForFailure(trial.FailureKind) is { } failure && trial.Subscribed.Contains(failure))
        {
            var facts_ = new TrialFailedFacts(trial.ProjectId, trial.SweepId, trial.SweepName, trial.TrialId, trial.FailureKind, trial.Error, trial.Attempt);
            await EnqueueAsync(db, trial.ProjectId, failure, WebhookPayloads.TrialFailed(failure, facts_, now), ct);
        }

        if (trial.Subscribed.Contains(WebhookEvents.SweepFinished))
        {
            await SweepMaybeFinishedAsync(db, trial, now, ct);
        }
    }

    /// <summary>
    /// Locks the sweep row first, so that of two trials settling at once the second waits for the first's commit
    /// and then sees it settled: exactly one of them, the last, sees no trial left and tells it.
    /// </summary>
    private static async Task SweepMaybeFinishedAsync(SweepDbContext db, EndedTrial trial, DateTimeOffset now, CancellationToken ct)
    {
        var active = await db.Database.SqlQuery<string>(
            $"""SELECT state AS "Value" FROM sweeps WHERE id = {trial.SweepId} FOR NO KEY UPDATE""").ToListAsync(ct);
        if (active is not [SweepState.Active])
        {
            return;
        }

        var counts = await db.Database.SqlQuery<StateCount>(
            $"""SELECT state, count(*)::int AS count FROM trials WHERE sweep_id = {trial.SweepId} GROUP BY state""").ToListAsync(ct);
        if (counts.Any(c => c.State is TrialState.Queued or TrialState.Running))
        {
            return;
        }

        var facts = new SweepFinishedFacts(trial.ProjectId, trial.SweepId, trial.SweepName, counts.ToDictionary(c => c.State, c => c.Count));
        await EnqueueAsync(db, trial.ProjectId, WebhookEvents.SweepFinished, WebhookPayloads.SweepFinished(facts, now), ct);
    }

    /// <summary>worker.paused, to the project whose trial made the worker pause itself.</summary>
    public static async Task WorkerPausedAsync(SweepDbContext db, Guid trialId, string worker, string reason, CancellationToken ct)
    {
        var project = await db.Database.SqlQuery<Guid>(
            $"""SELECT s.project_id AS "Value" FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE t.id = {trialId}""").ToListAsync(ct);
        if (project is [var projectId])
        {
            await EnqueueAsync(db, projectId, WebhookEvents.WorkerPaused, WebhookPayloads.WorkerPaused(projectId, worker, reason, DateTimeOffset.UtcNow), ct);
        }
    }

    // Unmapped result types: SqlQuery reads their columns by the model's snake-case convention.
    private sealed record EndedTrial(Guid TrialId, Guid SweepId, string SweepName, Guid ProjectId, string State, string? FailureKind, string? Error, int Attempt, string[] Subscribed);

    private sealed record StateCount(string State, int Count);
}

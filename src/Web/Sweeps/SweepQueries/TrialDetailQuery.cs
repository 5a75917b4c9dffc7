using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Results;

namespace Sweep.Web.Sweeps;

/// <summary>
/// One trial with its resolved configuration, environment, attempts and checkpoint: the trial page and GET
/// /api/v1/trials/{id}. Access is checked before it gets here (ApiAccessMiddleware, ResourceGate).
/// </summary>
public sealed class TrialDetailQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>The trainer's resource use, as it recorded it last.</summary>
    private static readonly string[] ResourceKeys = [MetricNames.PeakRssMiB, MetricNames.CpuSeconds];

    public async Task<TrialDetail?> TrialAsync(Guid trialId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, ct);
        if (trial is null)
        {
            return null;
        }

        var checkpoint = await db.Checkpoints.Where(c => c.TrialId == trialId).Select(c => new { c.Epoch, c.Pinned }).SingleOrDefaultAsync(ct);
        var view = (await GuardMetrics.JoinAsync(contexts, [TrialViews.ToView(trial)], ct))[0];

        // Resource use is shown for one trial at a time: lists and heatmaps do not read it.
        var resources = await GuardMetrics.LatestAsync(contexts, [trialId], ResourceKeys, ct);
        view = view with { Metrics = GuardMetrics.Join(view.Metrics, resources, trialId) };
        var attempts = await db.TrialAttempts.AsNoTracking().Where(a => a.TrialId == trialId).OrderBy(a => a.Number)
            .Select(a => new TrialAttemptView(a.Number, a.Worker, a.StartedAt, a.EndedAt, a.Outcome, a.FailureKind, a.Error))
            .ToListAsync(ct);
        return new TrialDetail(view, trial.SweepId, trial.LeaseOwner, Json(trial.Config), Json(trial.Environment), checkpoint?.Epoch)
        {
            Attempts = attempts,
            CheckpointPinned = checkpoint?.Pinned ?? false,
            Notes = trial.Notes,
            NotesHtml = MarkdownNote.ToHtml(trial.Notes),
        };
    }

    private static System.Text.Json.JsonElement? Json(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}

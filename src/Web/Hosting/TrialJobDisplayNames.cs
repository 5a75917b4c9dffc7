using System.Globalization;
using Hangfire.Common;
using Hangfire.Dashboard;
using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Execution;

namespace Sweep.Web.Hosting;

/// <summary>
/// Names trial jobs in the Hangfire dashboard by what they train ("Trial B=4096 G=128 ×2 seed 1 · sweep 'gbn'")
/// instead of "ITrialRunner.RunAsync" for every row. Jobs carry only the trial's id (they must not go stale when a
/// sweep is renamed), so the name is looked up when the dashboard renders it.
/// </summary>
internal static class TrialJobDisplayNames
{
    public static string Describe(DashboardContext context, Job job)
    {
        var fallback = $"{job.Type.Name}.{job.Method.Name}";
        if (job.Type != typeof(ITrialRunner) || job.Args.Count == 0 || job.Args[0] is not Guid trialId)
        {
            return fallback;
        }

        var contexts = context.GetHttpContext().RequestServices.GetRequiredService<IDbContextFactory<SweepDbContext>>();
        using var db = contexts.CreateDbContext();
        var trial = db.Trials.AsNoTracking().Where(t => t.Id == trialId)
            .Select(t => new { t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, SweepName = t.Sweep!.Name })
            .FirstOrDefault();
        return trial is null
            ? $"Trial {trialId} (deleted)"
            : string.Create(CultureInfo.InvariantCulture,
                $"Trial B={trial.BatchSize} G={trial.GhostBatchSize} ×{trial.RegimeMultiplier:G4} seed {trial.Seed} · sweep '{trial.SweepName}'");
    }
}

using Sweep.Client;

namespace Sweep.Reproduce;

/// <summary>Submits the study's sweeps through the REST API (or finds the ones already submitted) and waits for them.</summary>
public sealed class StudyRunner(SweepClient client, StudySize size, string statePath, TextWriter log)
{
    /// <summary>
    /// Finds the study submitted before (unless <paramref name="fresh"/>) and submits what it lacks: every sweep the
    /// first time, only sweeps added to the plan since (or deleted on the server) on a rerun.
    /// </summary>
    public async Task<StudyState> SubmitOrResumeAsync(bool fresh, CancellationToken ct)
    {
        var previous = fresh ? null : StudyState.Load(statePath);
        var ids = new Dictionary<string, Guid>();
        // A study belongs to the platform it was submitted to: another URL (a test's throwaway instance) starts afresh.
        if (previous is not null && previous.Size == size.Label && previous.Url == (client.Http.BaseAddress?.ToString() ?? ""))
        {
            log.WriteLine($"Resuming the {size.Label} study submitted at {previous.SubmittedAt:u} ({statePath}).");
            foreach (var (key, id) in previous.Sweeps)
            {
                if (await ExistsAsync(id, ct))
                {
                    ids[key] = id;
                }
            }
        }

        foreach (var sweep in StudyPlan.Sweeps(size).Where(s => !ids.ContainsKey(s.Key)))
        {
            // The key makes a retried submission (a dropped connection, a rerun after a crash) create nothing twice.
            var created = await client.CreateSweepAsync(sweep.Request, $"reproduce-{size.Label}-{sweep.Key}-{Guid.NewGuid():N}", ct);
            ids[sweep.Key] = created.Id;
            var cancelled = await CancelOutsideStudyAsync(created.Id, sweep, ct);
            log.WriteLine($"Submitted {sweep.Key}: {created.Id}, {created.TrialCount} trials ({cancelled} outside the study cancelled).");
        }

        var plan = StudyPlan.Sweeps(size).Select(s => s.Key).ToHashSet();
        var state = new StudyState(size.Label, client.Http.BaseAddress?.ToString() ?? "", ids.Where(i => plan.Contains(i.Key)).ToDictionary(), previous?.SubmittedAt ?? DateTimeOffset.UtcNow);
        state.Save(statePath);
        return state;
    }

    /// <summary>The study's sweeps as they stand now.</summary>
    public async Task<IReadOnlyDictionary<string, SweepInfo>> CurrentAsync(StudyState state, CancellationToken ct)
    {
        var now = new Dictionary<string, SweepInfo>();
        foreach (var (key, id) in state.Sweeps)
        {
            now[key] = await client.GetSweepAsync(id, ct);
        }

        return now;
    }

    public async Task<IReadOnlyDictionary<string, SweepInfo>> WaitAsync(StudyState state, TimeSpan poll, CancellationToken ct)
    {
        var done = new Dictionary<string, SweepInfo>();
        var started = DateTimeOffset.UtcNow;
        foreach (var (key, id) in state.Sweeps)
        {
            done[key] = await client.WaitAsync(id, poll, sweep =>
            {
                var counts = string.Join(", ", sweep.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key}"));
                log.WriteLine($"[{DateTimeOffset.UtcNow - started:hh\\:mm\\:ss}] {key}: {counts}; epochs {sweep.Progress.EpochsDone}/{sweep.Progress.EpochsPlanned}");
            }, ct);
        }

        return done;
    }

    private async Task<int> CancelOutsideStudyAsync(Guid sweepId, StudySweep sweep, CancellationToken ct)
    {
        var cancelled = 0;
        await foreach (var trial in client.AllTrialsAsync(sweepId, ct: ct))
        {
            if (!sweep.InStudy(Values(trial)))
            {
                await client.CancelTrialAsync(trial.Id, ct);
                cancelled++;
            }
        }

        return cancelled;
    }

    public static TrialCellValues Values(TrialInfo trial) =>
        new(trial.BatchSize, trial.GhostBatchSize, trial.RegimeMultiplier, trial.LrScaling, trial.RunningStats);

    private async Task<bool> ExistsAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await client.GetSweepAsync(id, ct);
            return true;
        }
        catch (SweepApiException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}

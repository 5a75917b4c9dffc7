using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The version of a sweep's results (ADR 0013): its trial count and the sum of its trials' results_version, which the
/// database's triggers raise with every committed change to a trial's state, cell, final metrics or metric points.
/// Each change replaces a trial's value with a larger one, so the pair never repeats: equal versions, equal results.
/// </summary>
public sealed class ResultsVersionQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>"trials-sum"; "0-0" for a sweep without trials or no sweep at all.</summary>
    public async Task<string> VersionAsync(Guid sweepId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Database.SqlQuery<string>(
            $"""SELECT count(*)::text || '-' || coalesce(sum(results_version), 0)::text AS "Value" FROM trials WHERE sweep_id = {sweepId}""")
            .SingleAsync(ct);
    }
}

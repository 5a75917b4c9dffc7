using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>
/// The stored spec of a sweep, without its trials: what cloning a sweep starts from, and the grid the heatmap,
/// distance curves and cells export are read against.
/// </summary>
public sealed class SweepSpecQuery(IDbContextFactory<SweepDbContext> contexts)
{
    /// <summary>Null when there is no such sweep.</summary>
    public async Task<SweepSpec?> SpecAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var json = await db.Sweeps.AsNoTracking().Where(s => s.Id == id).Select(s => s.Spec).SingleOrDefaultAsync(ct);
        return json is null ? null : SweepJson.Deserialize(json);
    }
}

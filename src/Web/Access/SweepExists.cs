using Microsoft.EntityFrameworkCore;
using Sweep.Data;

namespace Sweep.Web.Access;

/// <summary>Whether a sweep id names a stored sweep; endpoints that do not read the sweep itself use it for their 404.</summary>
public sealed class SweepExists(IDbContextFactory<SweepDbContext> contexts)
{
    public async Task<bool> AnyAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Sweeps.AnyAsync(s => s.Id == id, ct);
    }
}

using Microsoft.EntityFrameworkCore;

namespace Sweep.Data.Commands;

/// <summary>
/// A transaction under the context's retrying execution strategy: the strategy refuses queries inside a transaction
/// it did not start, and on a transient failure it rolls back and runs the whole unit again. Each unit's statements
/// are conditional, so a rerun after a rollback does what the first run would have done.
/// </summary>
internal static class Transactions
{
    public static Task<T> RunAsync<T>(SweepDbContext db, Func<Task<T>> unit, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await unit();
            await tx.CommitAsync(ct);
            return result;
        });
}

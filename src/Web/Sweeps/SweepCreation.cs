using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Catalog;
using Sweep.Domain.Execution;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

/// <summary>Creates sweeps: validate, store the sweep and one row per cell in one transaction, then enqueue.</summary>
public sealed class SweepCreation(IDbContextFactory<SweepDbContext> contexts, ITrialQueue queue, SweepLimits limits, TimeProvider clock)
{
    /// <summary>Either the created sweep, or field errors keyed by JSON path (and nothing stored).</summary>
    public async Task<(SweepCreated? Created, IReadOnlyDictionary<string, string[]> Errors)> CreateAsync(SweepSpec spec, CancellationToken ct, Guid? projectId = null, Guid? createdBy = null)
    {
        var outcome = await CreateAsync(spec, null, ct, projectId, createdBy);
        return (outcome.Created, outcome.Errors);
    }

    /// <summary>
    /// Creates a sweep. With an idempotency claim, the key is stored in the same transaction as the sweep, so a
    /// retry, even one racing the first request, finds it and gets the first sweep back instead of a second one.
    /// </summary>
    public async Task<SweepCreationOutcome> CreateAsync(
        SweepSpec spec, IdempotencyClaim? claim, CancellationToken ct, Guid? projectId = null, Guid? createdBy = null, IReadOnlyList<string>? tags = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (claim is not null && await Idempotency.FindAsync(db, claim, clock.GetUtcNow(), ct) is { } earlier)
        {
            return Idempotency.Replay(earlier, claim);
        }

        var errors = SweepValidator.Validate(spec, limits);
        if (errors.Count > 0)
        {
            return new SweepCreationOutcome(null, errors);
        }

        var expansion = GridExpander.Expand(spec);
        var dataset = Datasets.Find(spec.Dataset)!;
        var now = clock.GetUtcNow();
        var target = spec.Device == "any" ? TrialQueues.Shared : spec.Device;
        var sweep = new SweepRecord
        {
            Id = Guid.CreateVersion7(),
            Name = spec.Name.Trim(),
            Dataset = dataset.Name,
            Model = Models.Find(spec.Model)!.Name,
            Spec = SweepJson.Serialize(spec),
            SkippedCells = expansion.SkippedCellCount,
            CreatedAt = now,
            MaxAttempts = spec.MaxAttempts,
            Queue = target,
            ProjectId = projectId ?? ProjectRecord.DefaultId,
            CreatedBy = createdBy,
            Tags = [.. tags ?? []],
        };
        sweep.Trials = NewTrials(sweep.Id, spec, expansion.Cells, now);
        var created = new SweepCreated(sweep.Id, sweep.Trials.Count, sweep.SkippedCells, expansion.InvalidCells);

        // Retried as a whole on transient failures (the context retries on failure, which rules out bare transactions).
        (StoreOutcome Outcome, IReadOnlyDictionary<string, string[]> Errors) stored = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var overLimit = ProjectQueueLimit.Check(await QueuedInProjectAsync(db, sweep.ProjectId, token), sweep.Trials.Count, limits);
            if (overLimit.Count > 0)
            {
                return (StoreOutcome.OverLimit, overLimit);
            }

            db.Sweeps.Add(sweep);
            if (claim is not null)
            {
                await Idempotency.DeleteExpiredAsync(db, claim, now, token);
                db.IdempotencyKeys.Add(Idempotency.Record(claim, created, now));
            }

            try
            {
                await db.SaveChangesAsync(token);
                await transaction.CommitAsync(token);
                return (StoreOutcome.Stored, overLimit);
            }
            catch (DbUpdateException ex) when (claim is not null && Idempotency.IsKeyTaken(ex))
            {
                // A concurrent request with the same key committed first; this one's sweep is rolled back unseen.
                return (StoreOutcome.KeyTaken, overLimit);
            }
        }, ct);
        if (stored.Outcome == StoreOutcome.OverLimit)
        {
            return new SweepCreationOutcome(null, stored.Errors);
        }

        if (stored.Outcome == StoreOutcome.KeyTaken)
        {
            db.ChangeTracker.Clear();
            var winner = await Idempotency.FindAsync(db, claim!, now, ct)
                ?? throw new InvalidOperationException($"Idempotency key '{claim!.Key}' was taken but cannot be read back.");
            return Idempotency.Replay(winner, claim!);
        }

        // Enqueued only after the commit: a job never refers to a trial that a rolled-back request would not have made.
        // A process killed before the last job is out leaves queued rows without a job; the workers' queue sweep
        // enqueues those (docs/decisions/0010-queue-sweep-as-outbox.md).
        queue.Enqueue(sweep.Trials.Select(t => (t.Id, t.Priority)), sweep.Queue);
        if (claim is not null)
        {
            await Idempotency.PurgeAsync(db, now, ct);
        }

        return new SweepCreationOutcome(created, new Dictionary<string, string[]>());
    }

    /// <summary>
    /// Adds axis values or seeds to an existing sweep: the grid becomes the union, and only the cells that do not
    /// exist yet are created and enqueued. A cancelled sweep is refused (it starts no new trial). The sweep's row is
    /// locked for the read-modify-write of its spec, so two extends at once queue behind each other and both land.
    /// </summary>
    public async Task<SweepExtended> ExtendAsync(Guid sweepId, SweepExtension extension, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var locked = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM sweeps WHERE id = {sweepId} FOR UPDATE").ToListAsync(token);
            if (locked.Count == 0)
            {
                return SweepExtended.NotFound;
            }

            var sweep = await db.Sweeps.SingleAsync(s => s.Id == sweepId, token);
            if (sweep.State == SweepStatus.Cancelled)
            {
                return SweepExtended.Cancelled;
            }

            var plan = await PlanExtensionAsync(db, sweep, extension, token);
            if (plan.Errors.Count > 0)
            {
                return SweepExtended.Invalid(plan.Errors);
            }

            var overLimit = ProjectQueueLimit.Check(await QueuedInProjectAsync(db, sweep.ProjectId, token), plan.Missing.Count, limits);
            if (overLimit.Count > 0)
            {
                return SweepExtended.Invalid(overLimit);
            }

            var trials = NewTrials(sweepId, plan.Spec, plan.Missing, clock.GetUtcNow());
            sweep.Spec = SweepJson.Serialize(plan.Spec with { SkipInvalidCells = plan.Old.SkipInvalidCells });
            db.Trials.AddRange(trials);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return SweepExtended.Done(sweep.Queue, trials);
        }, ct);

        if (outcome.Trials.Count > 0)
        {
            queue.Enqueue(outcome.Trials.Select(t => (t.Id, t.Priority)), outcome.Queue!);
        }

        return outcome;
    }

    /// <summary>
    /// What <see cref="ExtendAsync"/> would do, without doing it: how many cells it would add, or its errors. The
    /// sweep page's extend form shows this live, so the count it shows is the one the button will create.
    /// </summary>
    public async Task<(int Added, IReadOnlyDictionary<string, string[]> Errors)?> PreviewExtensionAsync(Guid sweepId, SweepExtension extension, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sweepId, ct);
        if (sweep is null)
        {
            return null;
        }

        if (sweep.State == SweepStatus.Cancelled)
        {
            return (0, new Dictionary<string, string[]> { ["sweep"] = [SweepExtended.CancelledReason] });
        }

        var plan = await PlanExtensionAsync(db, sweep, extension, ct);
        return (plan.Missing.Count, plan.Errors);
    }

    private sealed record ExtensionPlan(SweepSpec Old, SweepSpec Spec, IReadOnlyList<TrialCell> Missing, IReadOnlyDictionary<string, string[]> Errors);

    /// <summary>The union grid, validated, and the cells of it that the sweep has no trial for yet.</summary>
    private async Task<ExtensionPlan> PlanExtensionAsync(SweepDbContext db, SweepRecord sweep, SweepExtension extension, CancellationToken ct)
    {
        var old = SweepJson.Deserialize(sweep.Spec);
        var spec = old with
        {
            Grid = old.Grid with
            {
                BatchSize = old.Grid.BatchSize.Union(extension.BatchSize ?? []).ToList(),
                GhostBatchSize = old.Grid.GhostBatchSize.Union(extension.GhostBatchSize ?? []).ToList(),
                RegimeMultiplier = old.Grid.RegimeMultiplier.Union(extension.RegimeMultiplier ?? []).ToList(),
            },
            Training = old.Training with { Seeds = old.Training.Seeds.Union(extension.Seeds ?? []).ToList() },

            // New values may pair with old ones into invalid cells; those are skipped, never fatal, when extending.
            SkipInvalidCells = true,
        };
        var errors = SweepValidator.Validate(spec, limits);
        if (errors.Count > 0)
        {
            return new ExtensionPlan(old, spec, [], errors);
        }

        var existing = (await db.Trials.AsNoTracking().Where(t => t.SweepId == sweep.Id).ToListAsync(ct))
            .Select(t => t.CellOf())
            .ToHashSet();
        var missing = GridExpander.Expand(spec).Cells.Where(c => !existing.Contains(c)).ToList();
        return new ExtensionPlan(old, spec, missing, errors);
    }

    private enum StoreOutcome
    {
        Stored,
        KeyTaken,
        OverLimit,
    }

    /// <summary>
    /// Queued trials of the project, counted under a transaction-scoped advisory lock per project, so that two
    /// requests of one project at once cannot both pass <see cref="SweepLimits.MaxQueuedTrialsPerProject"/>.
    /// </summary>
    private static async Task<long> QueuedInProjectAsync(SweepDbContext db, Guid projectId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('sweep.project-queue'), hashtext({projectId.ToString()}))", ct);
        return await db.Trials.LongCountAsync(t => t.State == TrialState.Queued && t.Sweep!.ProjectId == projectId, ct);
    }

    private static List<TrialRecord> NewTrials(Guid sweepId, SweepSpec spec, IEnumerable<TrialCell> cells, DateTimeOffset now)
    {
        var trainSize = spec.Training.TrainSubset ?? Datasets.Find(spec.Dataset)!.TrainSize;
        return cells.Select(cell => new TrialRecord
        {
            Id = Guid.CreateVersion7(),
            SweepId = sweepId,
            State = TrialState.Queued,
            TotalEpochs = TrainingPlan.Resolve(cell, spec.Training, trainSize).Epochs,
            CreatedAt = now,
        }.WithCell(cell)).ToList();
    }
}

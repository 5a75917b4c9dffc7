using Microsoft.EntityFrameworkCore;
using Sweep.Data;
using Sweep.Data.Entities;
using Sweep.Domain.Catalog;
using Sweep.Domain.Planning;
using Sweep.Domain.Sweeps;

namespace Sweep.Web.Sweeps;

public sealed record SweepCreated(Guid Id, int TrialCount, int SkippedCells, IReadOnlyList<InvalidCell> InvalidCells);

/// <summary>Creates sweeps: validate, store the sweep and one row per cell in one transaction, then enqueue.</summary>
public sealed class SweepService(IDbContextFactory<SweepDbContext> contexts, ITrialQueue queue, SweepLimits limits, TimeProvider clock)
{
    /// <summary>Either the created sweep, or field errors keyed by JSON path (and nothing stored).</summary>
    public async Task<(SweepCreated? Created, IReadOnlyDictionary<string, string[]> Errors)> CreateAsync(SweepSpec spec, CancellationToken ct)
    {
        var errors = SweepValidator.Validate(spec, limits);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var expansion = GridExpander.Expand(spec);
        var dataset = Datasets.Find(spec.Dataset)!;
        var now = clock.GetUtcNow();
        var sweep = new SweepRecord
        {
            Id = Guid.CreateVersion7(),
            Name = spec.Name.Trim(),
            Dataset = dataset.Name,
            Model = Models.Find(spec.Model)!.Name,
            Spec = SweepJson.Serialize(spec),
            SkippedCells = expansion.SkippedCellCount,
            CreatedAt = now,
        };
        var trainSize = spec.Training.TrainSubset ?? dataset.TrainSize;
        sweep.Trials = expansion.Cells.Select(cell => new TrialRecord
        {
            Id = Guid.CreateVersion7(),
            SweepId = sweep.Id,
            BatchSize = cell.BatchSize,
            GhostBatchSize = cell.GhostBatchSize,
            RegimeMultiplier = cell.RegimeMultiplier,
            Seed = cell.Seed,
            State = TrialState.Queued,
            TotalEpochs = TrainingPlan.Resolve(cell, spec.Training, trainSize).Epochs,
            CreatedAt = now,
        }).ToList();

        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(ct);
        }

        queue.Enqueue(sweep.Trials.Select(t => t.Id));
        return (new SweepCreated(sweep.Id, sweep.Trials.Count, sweep.SkippedCells, expansion.InvalidCells), new Dictionary<string, string[]>());
    }
}

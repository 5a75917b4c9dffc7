using Microsoft.EntityFrameworkCore;
using Sweep.Data.Entities;

namespace Sweep.Data;

public sealed class SweepDbContext(DbContextOptions<SweepDbContext> options) : DbContext(options)
{
    public DbSet<SweepRecord> Sweeps => Set<SweepRecord>();

    public DbSet<TrialRecord> Trials => Set<TrialRecord>();

    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();

    public DbSet<TrialCheckpoint> Checkpoints => Set<TrialCheckpoint>();

    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    public DbSet<ExampleImport> ExampleImports => Set<ExampleImport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SweepDbContext).Assembly);
}

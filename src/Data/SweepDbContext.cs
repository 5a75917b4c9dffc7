using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Sweep.Data.Configurations;
using Sweep.Data.Entities;

namespace Sweep.Data;

/// <summary>
/// Sweep's one database model, accounts included: Identity's tables live beside the sweeps so that project
/// membership can join them and one migration history covers everything (docs/decisions/0006). The web replicas'
/// data-protection keys live here too, so that a cookie or form token issued by one replica is read by every other.
/// </summary>
public sealed class SweepDbContext(DbContextOptions<SweepDbContext> options)
    : IdentityDbContext<SweepUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<SweepRecord> Sweeps => Set<SweepRecord>();

    public DbSet<TrialRecord> Trials => Set<TrialRecord>();

    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();

    public DbSet<TrialCheckpoint> Checkpoints => Set<TrialCheckpoint>();

    public DbSet<TrialAttemptRecord> TrialAttempts => Set<TrialAttemptRecord>();

    public DbSet<TrialLogChunk> TrialLogChunks => Set<TrialLogChunk>();

    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    public DbSet<ExampleImport> ExampleImports => Set<ExampleImport>();

    public DbSet<ProjectRecord> Projects => Set<ProjectRecord>();

    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();

    public DbSet<AccessTokenRecord> AccessTokens => Set<AccessTokenRecord>();

    public DbSet<ShareLinkRecord> ShareLinks => Set<ShareLinkRecord>();

    public DbSet<InviteRecord> Invites => Set<InviteRecord>();

    public DbSet<WebhookRecord> Webhooks => Set<WebhookRecord>();

    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        IdentityTableNames.Apply(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SweepDbContext).Assembly);
    }
}

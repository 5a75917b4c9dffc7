using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class TrialAttemptConfiguration : IEntityTypeConfiguration<TrialAttemptRecord>
{
    public void Configure(EntityTypeBuilder<TrialAttemptRecord> builder)
    {
        builder.ToTable("trial_attempts");
        builder.HasKey(a => new { a.TrialId, a.Number });
        builder.Property(a => a.Worker).HasMaxLength(200);
        builder.Property(a => a.Outcome).HasMaxLength(32);
        builder.Property(a => a.FailureKind).HasMaxLength(32);
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(a => a.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

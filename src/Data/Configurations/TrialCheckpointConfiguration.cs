using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class TrialCheckpointConfiguration : IEntityTypeConfiguration<TrialCheckpoint>
{
    public void Configure(EntityTypeBuilder<TrialCheckpoint> builder)
    {
        builder.ToTable("trial_checkpoints");
        builder.HasKey(c => c.TrialId);
        builder.HasOne<TrialRecord>().WithOne().HasForeignKey<TrialCheckpoint>(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

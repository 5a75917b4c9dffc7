using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class TrialLogChunkConfiguration : IEntityTypeConfiguration<TrialLogChunk>
{
    public void Configure(EntityTypeBuilder<TrialLogChunk> builder)
    {
        builder.ToTable("trial_log_chunks", t => t.HasCheckConstraint("ck_trial_log_chunks_stream", "stream IN ('stdout', 'stderr')"));
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).UseIdentityByDefaultColumn();
        builder.Property(c => c.Stream).HasMaxLength(6);

        // The API reads one attempt's chunks after a cursor, in id order; the tail bound sums them newest first.
        builder.HasIndex(c => new { c.TrialId, c.Attempt, c.Id }).IncludeProperties(c => c.Bytes);
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

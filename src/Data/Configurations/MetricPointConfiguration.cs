using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPoint>
{
    public void Configure(EntityTypeBuilder<MetricPoint> builder)
    {
        builder.ToTable("metric_points");
        builder.HasKey(m => new { m.TrialId, m.Key, m.Step });
        builder.Property(m => m.Key).HasMaxLength(128);

        // The heatmap at epoch N (and at best) reads one key of every trial of a sweep by epoch, the earliest step of
        // each: in this order, with the value beside it, that is one index entry per trial and no heap row.
        builder.HasIndex(m => new { m.TrialId, m.Key, m.Epoch, m.Step }).IncludeProperties(m => m.Value);
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(m => m.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

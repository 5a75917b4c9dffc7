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
        builder.HasOne<TrialRecord>().WithMany().HasForeignKey(m => m.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

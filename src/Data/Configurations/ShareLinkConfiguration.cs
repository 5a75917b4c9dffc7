using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLinkRecord>
{
    public void Configure(EntityTypeBuilder<ShareLinkRecord> builder)
    {
        builder.ToTable("share_links");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.TokenHash).HasMaxLength(64);
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.HasIndex(s => s.SweepId);
        builder.HasOne(s => s.Sweep).WithMany().HasForeignKey(s => s.SweepId).OnDelete(DeleteBehavior.Cascade);
    }
}

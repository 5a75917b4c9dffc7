using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<WebhookRecord>
{
    public void Configure(EntityTypeBuilder<WebhookRecord> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Url).HasMaxLength(2000);
        builder.Property(w => w.Events).HasColumnType("text[]");
        builder.Property(w => w.Preset).HasMaxLength(16);
        builder.HasIndex(w => w.ProjectId);
        builder.HasOne(w => w.Project).WithMany().HasForeignKey(w => w.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

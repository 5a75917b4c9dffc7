using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryRecord> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.EventType).HasMaxLength(32);
        builder.Property(d => d.Payload).HasColumnType("json");
        builder.Property(d => d.State).HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(1000);

        // The delivery service's claim reads only due pending rows; the log reads one hook's newest first.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("state = 'pending'").HasDatabaseName("ix_webhook_deliveries_due");
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        builder.HasOne(d => d.Webhook).WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}

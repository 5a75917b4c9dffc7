using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> builder)
    {
        builder.ToTable("idempotency_keys");

        // The primary key is what makes two racing requests with one key create one sweep: the second insert waits
        // for the first transaction and then fails with a unique violation.
        builder.HasKey(k => new { k.Scope, k.Key });
        builder.Property(k => k.Scope).HasMaxLength(200);
        builder.Property(k => k.Key).HasMaxLength(200);
        builder.Property(k => k.RequestHash).HasMaxLength(64);
        builder.Property(k => k.Response).HasColumnType("jsonb");

        // Expired keys are deleted by age.
        builder.HasIndex(k => k.CreatedAt);
        builder.HasOne<SweepRecord>().WithMany().HasForeignKey(k => k.SweepId).OnDelete(DeleteBehavior.Cascade);
    }
}

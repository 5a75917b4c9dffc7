using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class WorkerConfiguration : IEntityTypeConfiguration<WorkerRecord>
{
    public void Configure(EntityTypeBuilder<WorkerRecord> builder)
    {
        builder.ToTable("workers");
        builder.HasKey(w => w.Name);
        builder.Property(w => w.Name).HasMaxLength(200);
        builder.Property(w => w.Host).HasMaxLength(200);
        builder.Property(w => w.Device).HasMaxLength(32);
        builder.Property(w => w.Version).HasMaxLength(64);
        builder.Property(w => w.Queues).HasMaxLength(400);
        builder.Property(w => w.State).HasMaxLength(16);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;
using Sweep.Domain.Sweeps;

namespace Sweep.Data.Configurations;

internal sealed class SweepConfiguration : IEntityTypeConfiguration<SweepRecord>
{
    public void Configure(EntityTypeBuilder<SweepRecord> builder)
    {
        builder.ToTable("sweeps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Dataset).HasMaxLength(64);
        builder.Property(s => s.Model).HasMaxLength(64);
        builder.Property(s => s.Spec).HasColumnType("jsonb");
        builder.Property(s => s.State).HasMaxLength(16).HasDefaultValue(SweepState.Active);
        builder.Property(s => s.MaxAttempts).HasDefaultValue(3);
        builder.Property(s => s.Queue).HasMaxLength(32).HasDefaultValue("default");
        builder.Property(s => s.IsExample).HasDefaultValue(false);
        builder.HasIndex(s => s.CreatedAt);
        builder.Property(s => s.Tags).HasColumnType("text[]").HasDefaultValueSql("'{}'::text[]");
        // The list's tag filter is array containment (tags @> @tags), which a GIN index answers.
        builder.HasIndex(s => s.Tags).HasMethod("gin");

        // The column default files rows written by anything that does not know projects (older code, SQL seeds).
        builder.Property(s => s.ProjectId).HasDefaultValue(ProjectRecord.DefaultId);
        builder.HasIndex(s => s.ProjectId);
        builder.HasOne(s => s.Project).WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Restrict);
        // Deleting an account keeps its sweeps (they belong to the project); only the owner shown becomes unknown.
        builder.HasIndex(s => s.CreatedBy);
        builder.HasOne<SweepUser>().WithMany().HasForeignKey(s => s.CreatedBy).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(s => s.Trials).WithOne(t => t.Sweep).HasForeignKey(t => t.SweepId).OnDelete(DeleteBehavior.Cascade);
    }
}

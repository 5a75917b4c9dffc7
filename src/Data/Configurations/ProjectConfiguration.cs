using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<ProjectRecord>
{
    public void Configure(EntityTypeBuilder<ProjectRecord> builder)
    {
        builder.ToTable("projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Slug).HasMaxLength(64);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Visibility).HasMaxLength(16).HasDefaultValue(ProjectVisibility.Private);
        builder.HasMany(p => p.Members).WithOne(m => m.Project).HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);

        // Seeded by the migration that adds projects, so that every existing sweep has a project to move into.
        // Private (since DefaultProjectIsPrivate): it holds every sweep created without a project, and a new account
        // has no role anywhere, so an internal default project would show all of them to anyone who registers. The
        // accounts that existed before were all made its members, so they keep their access.
        builder.HasData(new ProjectRecord
        {
            Id = ProjectRecord.DefaultId,
            Slug = ProjectRecord.DefaultSlug,
            Name = "Default",
            Visibility = ProjectVisibility.Private,
            CreatedAt = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero),
        });
    }
}

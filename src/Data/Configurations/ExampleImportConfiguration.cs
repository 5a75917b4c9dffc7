using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class ExampleImportConfiguration : IEntityTypeConfiguration<ExampleImport>
{
    public void Configure(EntityTypeBuilder<ExampleImport> builder)
    {
        builder.ToTable("example_imports");
        builder.HasKey(e => e.Key);
        builder.Property(e => e.Key).HasMaxLength(200);
        builder.HasOne<SweepRecord>().WithMany().HasForeignKey(e => e.SweepId).OnDelete(DeleteBehavior.SetNull);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sweep.Data.Entities;

namespace Sweep.Data.Configurations;

internal sealed class TrialConfiguration : IEntityTypeConfiguration<TrialRecord>
{
    public void Configure(EntityTypeBuilder<TrialRecord> builder)
    {
        builder.ToTable("trials");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.State).HasMaxLength(16);
        builder.Property(t => t.LeaseOwner).HasMaxLength(200);
        builder.Property(t => t.FailureKind).HasMaxLength(32);
        builder.Property(t => t.Config).HasColumnType("jsonb");
        builder.Property(t => t.Environment).HasColumnType("jsonb");

        builder.Property(t => t.LrScaling).HasMaxLength(16).HasDefaultValue("sqrt");
        builder.Property(t => t.GbnImplementation).HasMaxLength(16).HasDefaultValue("vectorized");
        builder.Property(t => t.RunningStats).HasMaxLength(16).HasDefaultValue("sequential");

        // A cell runs once per sweep, whichever worker claims it: every swept value is part of the key.
        builder.HasIndex(t => new { t.SweepId, t.BatchSize, t.GhostBatchSize, t.RegimeMultiplier, t.Seed, t.LrScaling, t.GbnImplementation, t.RunningStats })
            .IsUnique()
            .HasDatabaseName("ux_trials_cell");
        builder.HasIndex(t => new { t.State, t.LeaseExpiresAt });

        // Written by the triggers of migration TrialResultsVersions only: never sent, read back after each save.
        builder.Property(t => t.ResultsVersion).HasDefaultValue(0L).ValueGeneratedOnAddOrUpdate();

        builder.OwnsOne(t => t.Final, final =>
        {
            final.Property(f => f.TrainLoss).HasColumnName("final_train_loss");
            final.Property(f => f.TrainAccuracy).HasColumnName("final_train_accuracy");
            final.Property(f => f.ValLoss).HasColumnName("final_val_loss");
            final.Property(f => f.ValAccuracy).HasColumnName("final_val_accuracy");
            final.Property(f => f.GeneralizationGap).HasColumnName("final_generalization_gap");
            final.Property(f => f.WeightDistance).HasColumnName("final_weight_distance");
            final.Property(f => f.Steps).HasColumnName("final_steps");
            final.Property(f => f.WallSeconds).HasColumnName("final_wall_seconds");
        });
        builder.Navigation(t => t.Final).IsRequired();
    }
}

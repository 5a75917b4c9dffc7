using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class MetricPointsByEpoch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The heatmap at epoch N reads one key of every trial by epoch: one covering index entry per trial.
            migrationBuilder.CreateIndex(
                name: "ix_metric_points_trial_id_key_epoch_step",
                table: "metric_points",
                columns: new[] { "trial_id", "key", "epoch", "step" })
                .Annotation("Npgsql:IndexInclude", new[] { "value" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_metric_points_trial_id_key_epoch_step",
                table: "metric_points");
        }
    }
}

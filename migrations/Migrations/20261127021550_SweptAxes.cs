using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class SweptAxes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_sweep_id_batch_size_ghost_batch_size_regime_multipli",
                table: "trials");

            migrationBuilder.AddColumn<string>(
                name: "gbn_implementation",
                table: "trials",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "vectorized");

            migrationBuilder.AddColumn<string>(
                name: "lr_scaling",
                table: "trials",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "sqrt");

            migrationBuilder.AddColumn<string>(
                name: "running_stats",
                table: "trials",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "sequential");

            migrationBuilder.CreateIndex(
                name: "ux_trials_cell",
                table: "trials",
                columns: new[] { "sweep_id", "batch_size", "ghost_batch_size", "regime_multiplier", "seed", "lr_scaling", "gbn_implementation", "running_stats" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_trials_cell",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "gbn_implementation",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "lr_scaling",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "running_stats",
                table: "trials");

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_batch_size_ghost_batch_size_regime_multipli",
                table: "trials",
                columns: new[] { "sweep_id", "batch_size", "ghost_batch_size", "regime_multiplier", "seed" },
                unique: true);
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sweeps",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    dataset = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    spec = table.Column<string>(type: "jsonb", nullable: false),
                    skipped_cells = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sweeps", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trials",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sweep_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_size = table.Column<int>(type: "integer", nullable: false),
                    ghost_batch_size = table.Column<int>(type: "integer", nullable: false),
                    regime_multiplier = table.Column<double>(type: "double precision", nullable: false),
                    seed = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    lease_owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    current_epoch = table.Column<int>(type: "integer", nullable: false),
                    total_epochs = table.Column<int>(type: "integer", nullable: false),
                    config = table.Column<string>(type: "jsonb", nullable: true),
                    environment = table.Column<string>(type: "jsonb", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    final_train_loss = table.Column<double>(type: "double precision", nullable: true),
                    final_train_accuracy = table.Column<double>(type: "double precision", nullable: true),
                    final_val_loss = table.Column<double>(type: "double precision", nullable: true),
                    final_val_accuracy = table.Column<double>(type: "double precision", nullable: true),
                    final_generalization_gap = table.Column<double>(type: "double precision", nullable: true),
                    final_weight_distance = table.Column<double>(type: "double precision", nullable: true),
                    final_steps = table.Column<long>(type: "bigint", nullable: true),
                    final_wall_seconds = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trials", x => x.id);
                    table.ForeignKey(
                        name: "fk_trials_sweeps_sweep_id",
                        column: x => x.sweep_id,
                        principalTable: "sweeps",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "metric_points",
                columns: table => new
                {
                    trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    step = table.Column<long>(type: "bigint", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_points", x => new { x.trial_id, x.key, x.step });
                    table.ForeignKey(
                        name: "fk_metric_points_trials_trial_id",
                        column: x => x.trial_id,
                        principalTable: "trials",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sweeps_created_at",
                table: "sweeps",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_trials_state_lease_expires_at",
                table: "trials",
                columns: new[] { "state", "lease_expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_trials_sweep_id_batch_size_ghost_batch_size_regime_multipli",
                table: "trials",
                columns: new[] { "sweep_id", "batch_size", "ghost_batch_size", "regime_multiplier", "seed" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_points");

            migrationBuilder.DropTable(
                name: "trials");

            migrationBuilder.DropTable(
                name: "sweeps");
        }
    }
}

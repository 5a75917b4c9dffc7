using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class FencingAndPauses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "paused_by",
                table: "workers",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "lease_generation",
                table: "trials",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "pinned",
                table: "trial_checkpoints",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Workers paused before this column existed: the API wrote a fixed reason; anything else was the worker.
            migrationBuilder.Sql("""
                UPDATE workers SET paused_by = CASE WHEN paused_reason = 'Paused through the API.' THEN 'administrator' ELSE 'worker' END
                 WHERE state = 'paused'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "paused_by",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "lease_generation",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "pinned",
                table: "trial_checkpoints");
        }
    }
}

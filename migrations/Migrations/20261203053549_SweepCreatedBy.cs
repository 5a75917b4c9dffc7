using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class SweepCreatedBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "created_by",
                table: "sweeps",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_sweeps_created_by",
                table: "sweeps",
                column: "created_by");

            migrationBuilder.AddForeignKey(
                name: "fk_sweeps_users_created_by",
                table: "sweeps",
                column: "created_by",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_sweeps_users_created_by",
                table: "sweeps");

            migrationBuilder.DropIndex(
                name: "ix_sweeps_created_by",
                table: "sweeps");

            migrationBuilder.DropColumn(
                name: "created_by",
                table: "sweeps");
        }
    }
}

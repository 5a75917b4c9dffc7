using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotesAndTags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "notes",
                table: "trials",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "notes",
                table: "sweeps",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "tags",
                table: "sweeps",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.CreateIndex(
                name: "ix_sweeps_tags",
                table: "sweeps",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sweeps_tags",
                table: "sweeps");

            migrationBuilder.DropColumn(
                name: "notes",
                table: "trials");

            migrationBuilder.DropColumn(
                name: "notes",
                table: "sweeps");

            migrationBuilder.DropColumn(
                name: "tags",
                table: "sweeps");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sweep.Data.Migrations
{
    /// <inheritdoc />
    public partial class DefaultProjectIsPrivate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UpdateData(
                table: "projects",
                keyColumn: "id",
                keyValue: new Guid("00000000-0000-0000-0000-000000000001"),
                column: "visibility",
                value: "private");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UpdateData(
                table: "projects",
                keyColumn: "id",
                keyValue: new Guid("00000000-0000-0000-0000-000000000001"),
                column: "visibility",
                value: "internal");
        }
    }
}

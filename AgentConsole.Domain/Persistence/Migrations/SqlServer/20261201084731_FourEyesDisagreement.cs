using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class FourEyesDisagreement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "NeedsSeniorDecision",
                table: "Decisions",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "RejecterIdsCsv",
                table: "Decisions",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReviewersDisagreedAt",
                table: "Decisions",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NeedsSeniorDecision",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "RejecterIdsCsv",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "ReviewersDisagreedAt",
                table: "Decisions");
        }
    }
}

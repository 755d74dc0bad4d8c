using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AgentPauseAndCircuitBreaker : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_AgentId",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_AgentId",
                table: "Decisions");

            migrationBuilder.AddColumn<string>(
                name: "HeldProposalJson",
                table: "Runs",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HeldReason",
                table: "Runs",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PauseReason",
                table: "Agents",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PauseVersion",
                table: "Agents",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PausedAt",
                table: "Agents",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PausedByBreaker",
                table: "Agents",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PausedById",
                table: "Agents",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PausedByName",
                table: "Agents",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Runs_AgentId_Status",
                table: "Runs",
                columns: new[] { "AgentId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId_ResolvedAt",
                table: "Decisions",
                columns: new[] { "AgentId", "ResolvedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_AgentId_Status",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_AgentId_ResolvedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "HeldProposalJson",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "HeldReason",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "PauseReason",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "PauseVersion",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "PausedAt",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "PausedByBreaker",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "PausedById",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "PausedByName",
                table: "Agents");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_AgentId",
                table: "Runs",
                column: "AgentId");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_AgentId",
                table: "Decisions",
                column: "AgentId");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HeldReason",
                table: "Runs",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PauseReason",
                table: "Agents",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PauseVersion",
                table: "Agents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "PausedAt",
                table: "Agents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PausedByBreaker",
                table: "Agents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PausedById",
                table: "Agents",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PausedByName",
                table: "Agents",
                type: "TEXT",
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

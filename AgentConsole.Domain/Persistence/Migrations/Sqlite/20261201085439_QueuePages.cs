using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QueuePages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Open_Confidence",
                table: "Decisions",
                columns: new[] { "TenantId", "QueueId", "Confidence", "DueAt", "Id" },
                filter: "\"Status\" IN ('Pending', 'InReview', 'Escalated')");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Open_Created",
                table: "Decisions",
                columns: new[] { "TenantId", "QueueId", "CreatedAt", "Id" },
                filter: "\"Status\" IN ('Pending', 'InReview', 'Escalated')");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Open_Due",
                table: "Decisions",
                columns: new[] { "TenantId", "QueueId", "DueAt", "Priority", "Id" },
                filter: "\"Status\" IN ('Pending', 'InReview', 'Escalated')");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Open_Filters",
                table: "Decisions",
                columns: new[] { "TenantId", "QueueId", "AgentId", "Risk", "Confidence" },
                filter: "\"Status\" IN ('Pending', 'InReview', 'Escalated')");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Open_Priority",
                table: "Decisions",
                columns: new[] { "TenantId", "QueueId", "Priority", "DueAt", "Id" },
                filter: "\"Status\" IN ('Pending', 'InReview', 'Escalated')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Decisions_Open_Confidence",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_Open_Created",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_Open_Due",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_Open_Filters",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_Open_Priority",
                table: "Decisions");
        }
    }
}

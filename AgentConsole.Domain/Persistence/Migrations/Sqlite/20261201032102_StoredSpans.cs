using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StoredSpans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StoredSpans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TraceId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    SpanId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    ParentSpanId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: true),
                    LinkedTraceId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    StartMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    EndMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusDescription = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AttributesJson = table.Column<string>(type: "TEXT", nullable: false),
                    EventsJson = table.Column<string>(type: "TEXT", nullable: false),
                    LinksJson = table.Column<string>(type: "TEXT", nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredSpans", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StoredSpans_AgentKey_StartMicros",
                table: "StoredSpans",
                columns: new[] { "AgentKey", "StartMicros" });

            migrationBuilder.CreateIndex(
                name: "IX_StoredSpans_DecisionId",
                table: "StoredSpans",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_StoredSpans_LinkedTraceId",
                table: "StoredSpans",
                column: "LinkedTraceId");

            migrationBuilder.CreateIndex(
                name: "IX_StoredSpans_RunId",
                table: "StoredSpans",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_StoredSpans_StartMicros",
                table: "StoredSpans",
                column: "StartMicros");

            migrationBuilder.CreateIndex(
                name: "IX_StoredSpans_TraceId",
                table: "StoredSpans",
                column: "TraceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StoredSpans");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.PostgreSql
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    TraceId = table.Column<string>(type: "character varying(32)", unicode: false, maxLength: 32, nullable: false),
                    SpanId = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: false),
                    ParentSpanId = table.Column<string>(type: "character varying(16)", unicode: false, maxLength: 16, nullable: true),
                    LinkedTraceId = table.Column<string>(type: "character varying(32)", unicode: false, maxLength: 32, nullable: true),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Service = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    StartMicros = table.Column<long>(type: "bigint", nullable: false),
                    EndMicros = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    StatusDescription = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    AttributesJson = table.Column<string>(type: "text", nullable: false),
                    EventsJson = table.Column<string>(type: "text", nullable: false),
                    LinksJson = table.Column<string>(type: "text", nullable: false),
                    DecisionId = table.Column<Guid>(type: "uuid", nullable: true),
                    RunId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgentKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
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

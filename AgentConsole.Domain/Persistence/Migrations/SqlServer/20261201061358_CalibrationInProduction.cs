using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CalibrationInProduction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CalibrationGoldItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DecisionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UseCase = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    QueueId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SlotStart = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ScenarioId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    GoldAction = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    GoldValuesJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Explanation = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    PolicyVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    SeededAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalibrationGoldItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalibrationGoldItems_Decisions_DecisionId",
                        column: x => x.DecisionId,
                        principalTable: "Decisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CalibrationGoldItems_ReviewQueues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "ReviewQueues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CalibrationGoldItems_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CalibrationPauses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PersonId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PersonName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    UseCase = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    RiskLevelsCsv = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    AccuracyPercent = table.Column<double>(type: "float", nullable: false),
                    Answers = table.Column<int>(type: "int", nullable: false),
                    ThresholdPercent = table.Column<double>(type: "float", nullable: false),
                    WindowHours = table.Column<int>(type: "int", nullable: false),
                    PausedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ClearedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClearedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    ClearedReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalibrationPauses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalibrationPauses_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CalibrationAnswers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GoldItemId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DecisionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UseCase = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    PersonId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    PersonName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ValuesJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    GoldAction = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    GoldValuesJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Seconds = table.Column<double>(type: "float", nullable: false),
                    Correct = table.Column<bool>(type: "bit", nullable: false),
                    WrongFieldsCsv = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalibrationAnswers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalibrationAnswers_CalibrationGoldItems_GoldItemId",
                        column: x => x.GoldItemId,
                        principalTable: "CalibrationGoldItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CalibrationAnswers_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationAnswers_GoldItemId_PersonId",
                table: "CalibrationAnswers",
                columns: new[] { "GoldItemId", "PersonId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationAnswers_TenantId_PersonId_UseCase_AnsweredAt",
                table: "CalibrationAnswers",
                columns: new[] { "TenantId", "PersonId", "UseCase", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationGoldItems_DecisionId",
                table: "CalibrationGoldItems",
                column: "DecisionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationGoldItems_QueueId",
                table: "CalibrationGoldItems",
                column: "QueueId");

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationGoldItems_TenantId_QueueId_SlotStart",
                table: "CalibrationGoldItems",
                columns: new[] { "TenantId", "QueueId", "SlotStart" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalibrationPauses_TenantId_PersonId_ClearedAt",
                table: "CalibrationPauses",
                columns: new[] { "TenantId", "PersonId", "ClearedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalibrationAnswers");

            migrationBuilder.DropTable(
                name: "CalibrationPauses");

            migrationBuilder.DropTable(
                name: "CalibrationGoldItems");
        }
    }
}

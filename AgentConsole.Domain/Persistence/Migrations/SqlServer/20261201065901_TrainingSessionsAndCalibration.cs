using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TrainingSessionsAndCalibration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EvidenceJson",
                table: "TrainingScenarios",
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Rationale",
                table: "TrainingScenarios",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Risk",
                table: "TrainingScenarios",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

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
                name: "TrainingSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TrackId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TrackKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    TrackVersion = table.Column<int>(type: "int", nullable: false),
                    TrackName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CertificationKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PassMarkPercent = table.Column<int>(type: "int", nullable: false),
                    ExerciseId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    TraineeId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    TraineeName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Mode = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Attempt = table.Column<int>(type: "int", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Deadline = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    EndReason = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    Total = table.Column<int>(type: "int", nullable: false),
                    Correct = table.Column<int>(type: "int", nullable: true),
                    AccuracyPercent = table.Column<double>(type: "float", nullable: true),
                    MeanSecondsPerItem = table.Column<double>(type: "float", nullable: true),
                    Kappa = table.Column<double>(type: "float", nullable: true),
                    KappaNote = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Passed = table.Column<bool>(type: "bit", nullable: true),
                    CertificationId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Revision = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrainingSessions_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSessions_TrainingTracks_TrackId",
                        column: x => x.TrackId,
                        principalTable: "TrainingTracks",
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

            migrationBuilder.CreateTable(
                name: "TrainingSessionItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SessionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ScenarioId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClaimedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Action = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    ValuesJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Seconds = table.Column<double>(type: "float", nullable: true),
                    Correct = table.Column<bool>(type: "bit", nullable: true),
                    WrongFieldsCsv = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingSessionItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrainingSessionItems_TrainingScenarios_ScenarioId",
                        column: x => x.ScenarioId,
                        principalTable: "TrainingScenarios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSessionItems_TrainingSessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "TrainingSessions",
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

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSessionItems_ScenarioId",
                table: "TrainingSessionItems",
                column: "ScenarioId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSessionItems_SessionId_Position",
                table: "TrainingSessionItems",
                columns: new[] { "SessionId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSessions_EndedAt_Deadline",
                table: "TrainingSessions",
                columns: new[] { "EndedAt", "Deadline" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSessions_TenantId_TraineeId_TrackId",
                table: "TrainingSessions",
                columns: new[] { "TenantId", "TraineeId", "TrackId" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSessions_TrackId",
                table: "TrainingSessions",
                column: "TrackId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalibrationAnswers");

            migrationBuilder.DropTable(
                name: "CalibrationPauses");

            migrationBuilder.DropTable(
                name: "TrainingSessionItems");

            migrationBuilder.DropTable(
                name: "CalibrationGoldItems");

            migrationBuilder.DropTable(
                name: "TrainingSessions");

            migrationBuilder.DropColumn(
                name: "EvidenceJson",
                table: "TrainingScenarios");

            migrationBuilder.DropColumn(
                name: "Rationale",
                table: "TrainingScenarios");

            migrationBuilder.DropColumn(
                name: "Risk",
                table: "TrainingScenarios");
        }
    }
}

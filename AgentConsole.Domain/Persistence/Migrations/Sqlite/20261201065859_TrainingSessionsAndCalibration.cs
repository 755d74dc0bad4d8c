using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Rationale",
                table: "TrainingScenarios",
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Risk",
                table: "TrainingScenarios",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "CalibrationGoldItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UseCase = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    QueueId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SlotStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ScenarioId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GoldAction = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    GoldValuesJson = table.Column<string>(type: "TEXT", nullable: true),
                    Explanation = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    PolicyVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SeededAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PersonName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UseCase = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RiskLevelsCsv = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AccuracyPercent = table.Column<double>(type: "REAL", nullable: false),
                    Answers = table.Column<int>(type: "INTEGER", nullable: false),
                    ThresholdPercent = table.Column<double>(type: "REAL", nullable: false),
                    WindowHours = table.Column<int>(type: "INTEGER", nullable: false),
                    PausedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClearedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClearedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClearedReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrackId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrackKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TrackVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    TrackName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CertificationKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PassMarkPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    ExerciseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TraineeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TraineeName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Correct = table.Column<int>(type: "INTEGER", nullable: true),
                    AccuracyPercent = table.Column<double>(type: "REAL", nullable: true),
                    MeanSecondsPerItem = table.Column<double>(type: "REAL", nullable: true),
                    Kappa = table.Column<double>(type: "REAL", nullable: true),
                    KappaNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: true),
                    CertificationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GoldItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UseCase = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PersonId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PersonName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ValuesJson = table.Column<string>(type: "TEXT", nullable: true),
                    GoldAction = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    GoldValuesJson = table.Column<string>(type: "TEXT", nullable: true),
                    Seconds = table.Column<double>(type: "REAL", nullable: false),
                    Correct = table.Column<bool>(type: "INTEGER", nullable: false),
                    WrongFieldsCsv = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScenarioId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ValuesJson = table.Column<string>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Seconds = table.Column<double>(type: "REAL", nullable: true),
                    Correct = table.Column<bool>(type: "INTEGER", nullable: true),
                    WrongFieldsCsv = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
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

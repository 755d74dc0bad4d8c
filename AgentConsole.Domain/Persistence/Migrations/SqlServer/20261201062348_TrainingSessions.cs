using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TrainingSessions : Migration
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
                name: "TrainingSessionItems");

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

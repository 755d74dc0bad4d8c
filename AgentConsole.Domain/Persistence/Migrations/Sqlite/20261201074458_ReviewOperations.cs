using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReviewOperations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AssignedToId",
                table: "Decisions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedToName",
                table: "Decisions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseLapsedFromId",
                table: "Decisions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseRenewedAt",
                table: "Decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextSlaStepAt",
                table: "Decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlaClockStartedAt",
                table: "Decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlaWarnedAt",
                table: "Decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BusinessCalendars",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkingDaysCsv = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DayStartsMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    DayEndsMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    HolidayCountry = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    HolidaysCsv = table.Column<string>(type: "TEXT", maxLength: 4400, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BusinessCalendars", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BusinessCalendars_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SavedFilters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    QueueId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MinRisk = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ConfidenceBand = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Sort = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedFilters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedFilters_ReviewQueues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "ReviewQueues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SlaStepFirings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    QueueId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PolicyVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Threshold = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    FiredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaStepFirings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SlaStepFirings_Decisions_DecisionId",
                        column: x => x.DecisionId,
                        principalTable: "Decisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SlaStepFirings_PolicyVersions_PolicyVersionId",
                        column: x => x.PolicyVersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SlaStepFirings_ReviewQueues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "ReviewQueues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_NextSlaStepAt",
                table: "Decisions",
                column: "NextSlaStepAt");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Status_LeaseRenewedAt",
                table: "Decisions",
                columns: new[] { "Status", "LeaseRenewedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BusinessCalendars_TenantId",
                table: "BusinessCalendars",
                column: "TenantId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedFilters_QueueId",
                table: "SavedFilters",
                column: "QueueId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedFilters_TenantId_OwnerId_QueueId",
                table: "SavedFilters",
                columns: new[] { "TenantId", "OwnerId", "QueueId" });

            migrationBuilder.CreateIndex(
                name: "IX_SlaStepFirings_DecisionId_QueueId_Step",
                table: "SlaStepFirings",
                columns: new[] { "DecisionId", "QueueId", "Step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaStepFirings_PolicyVersionId",
                table: "SlaStepFirings",
                column: "PolicyVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_SlaStepFirings_QueueId",
                table: "SlaStepFirings",
                column: "QueueId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BusinessCalendars");

            migrationBuilder.DropTable(
                name: "SavedFilters");

            migrationBuilder.DropTable(
                name: "SlaStepFirings");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_NextSlaStepAt",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_Status_LeaseRenewedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "AssignedToId",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "AssignedToName",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "LeaseLapsedFromId",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "LeaseRenewedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "NextSlaStepAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "SlaClockStartedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "SlaWarnedAt",
                table: "Decisions");
        }
    }
}

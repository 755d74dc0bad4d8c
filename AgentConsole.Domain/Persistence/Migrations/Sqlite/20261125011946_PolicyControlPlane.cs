using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PolicyControlPlane : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AutoApproveThreshold",
                table: "Agents");

            migrationBuilder.AddColumn<int>(
                name: "PolicyApprovalsRequired",
                table: "Tenants",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<string>(
                name: "ApproverIdsCsv",
                table: "Decisions",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PolicyVersionId",
                table: "Decisions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProposedRisk",
                table: "Decisions",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // Decisions routed before policies: the agent's risk was the routed risk.
            migrationBuilder.Sql("UPDATE \"Decisions\" SET \"ProposedRisk\" = \"Risk\"");

            migrationBuilder.AddColumn<string>(
                name: "ReviewCertification",
                table: "Decisions",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewRole",
                table: "Decisions",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReviewersRequired",
                table: "Decisions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "PolicyScopes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UseCase = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActiveVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActiveNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    ScheduledVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ScheduledFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    LastNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyScopes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyScopes_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PolicyVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScopeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Document = table.Column<string>(type: "TEXT", nullable: false),
                    ChangeNote = table.Column<string>(type: "TEXT", maxLength: 2200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EffectiveFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    ApprovalsRequired = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SupersededAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RestoresNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    IsEmergency = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyVersions_PolicyScopes_ScopeId",
                        column: x => x.ScopeId,
                        principalTable: "PolicyScopes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PolicyApprovals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PolicyVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewerId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReviewerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2200, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyApprovals_PolicyVersions_PolicyVersionId",
                        column: x => x.PolicyVersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PolicyVersionEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PolicyVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2200, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyVersionEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyVersionEvents_PolicyVersions_PolicyVersionId",
                        column: x => x.PolicyVersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_PolicyVersionId",
                table: "Decisions",
                column: "PolicyVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_TenantId_UseCase_CreatedAt",
                table: "Decisions",
                columns: new[] { "TenantId", "UseCase", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyApprovals_PolicyVersionId_ReviewerId",
                table: "PolicyApprovals",
                columns: new[] { "PolicyVersionId", "ReviewerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PolicyScopes_TenantId_Kind_Key",
                table: "PolicyScopes",
                columns: new[] { "TenantId", "Kind", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PolicyVersionEvents_PolicyVersionId_At",
                table: "PolicyVersionEvents",
                columns: new[] { "PolicyVersionId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyVersions_ScopeId_Number",
                table: "PolicyVersions",
                columns: new[] { "ScopeId", "Number" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Decisions_PolicyVersions_PolicyVersionId",
                table: "Decisions",
                column: "PolicyVersionId",
                principalTable: "PolicyVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Decisions_PolicyVersions_PolicyVersionId",
                table: "Decisions");

            migrationBuilder.DropTable(
                name: "PolicyApprovals");

            migrationBuilder.DropTable(
                name: "PolicyVersionEvents");

            migrationBuilder.DropTable(
                name: "PolicyVersions");

            migrationBuilder.DropTable(
                name: "PolicyScopes");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_PolicyVersionId",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_TenantId_UseCase_CreatedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "PolicyApprovalsRequired",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "ApproverIdsCsv",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "PolicyVersionId",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "ProposedRisk",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "ReviewCertification",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "ReviewRole",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "ReviewersRequired",
                table: "Decisions");

            migrationBuilder.AddColumn<double>(
                name: "AutoApproveThreshold",
                table: "Agents",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);
        }
    }
}

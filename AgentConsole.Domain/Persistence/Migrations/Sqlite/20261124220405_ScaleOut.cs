using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Agents_Tenants_TenantId",
                table: "Agents");

            migrationBuilder.DropForeignKey(
                name: "FK_AgentVersions_Agents_AgentId",
                table: "AgentVersions");

            migrationBuilder.DropForeignKey(
                name: "FK_DecisionReviews_Decisions_DecisionId",
                table: "DecisionReviews");

            migrationBuilder.DropForeignKey(
                name: "FK_Decisions_Agents_AgentId",
                table: "Decisions");

            migrationBuilder.DropForeignKey(
                name: "FK_Decisions_Runs_RunId",
                table: "Decisions");

            migrationBuilder.DropForeignKey(
                name: "FK_PipelineSteps_Runs_RunId",
                table: "PipelineSteps");

            migrationBuilder.DropForeignKey(
                name: "FK_ReviewQueues_Tenants_TenantId",
                table: "ReviewQueues");

            migrationBuilder.DropForeignKey(
                name: "FK_Runs_Agents_AgentId",
                table: "Runs");

            migrationBuilder.DropForeignKey(
                name: "FK_Users_Tenants_TenantId",
                table: "Users");

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Xml = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.AddForeignKey(
                name: "FK_Agents_Tenants_TenantId",
                table: "Agents",
                column: "TenantId",
                principalTable: "Tenants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AgentVersions_Agents_AgentId",
                table: "AgentVersions",
                column: "AgentId",
                principalTable: "Agents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_DecisionReviews_Decisions_DecisionId",
                table: "DecisionReviews",
                column: "DecisionId",
                principalTable: "Decisions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Decisions_Agents_AgentId",
                table: "Decisions",
                column: "AgentId",
                principalTable: "Agents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Decisions_Runs_RunId",
                table: "Decisions",
                column: "RunId",
                principalTable: "Runs",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_PipelineSteps_Runs_RunId",
                table: "PipelineSteps",
                column: "RunId",
                principalTable: "Runs",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ReviewQueues_Tenants_TenantId",
                table: "ReviewQueues",
                column: "TenantId",
                principalTable: "Tenants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Runs_Agents_AgentId",
                table: "Runs",
                column: "AgentId",
                principalTable: "Agents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Users_Tenants_TenantId",
                table: "Users",
                column: "TenantId",
                principalTable: "Tenants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Agents_Tenants_TenantId",
                table: "Agents");

            migrationBuilder.DropForeignKey(
                name: "FK_AgentVersions_Agents_AgentId",
                table: "AgentVersions");

            migrationBuilder.DropForeignKey(
                name: "FK_DecisionReviews_Decisions_DecisionId",
                table: "DecisionReviews");

            migrationBuilder.DropForeignKey(
                name: "FK_Decisions_Agents_AgentId",
                table: "Decisions");

            migrationBuilder.DropForeignKey(
                name: "FK_Decisions_Runs_RunId",
                table: "Decisions");

            migrationBuilder.DropForeignKey(
                name: "FK_PipelineSteps_Runs_RunId",
                table: "PipelineSteps");

            migrationBuilder.DropForeignKey(
                name: "FK_ReviewQueues_Tenants_TenantId",
                table: "ReviewQueues");

            migrationBuilder.DropForeignKey(
                name: "FK_Runs_Agents_AgentId",
                table: "Runs");

            migrationBuilder.DropForeignKey(
                name: "FK_Users_Tenants_TenantId",
                table: "Users");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.AddForeignKey(
                name: "FK_Agents_Tenants_TenantId",
                table: "Agents",
                column: "TenantId",
                principalTable: "Tenants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_AgentVersions_Agents_AgentId",
                table: "AgentVersions",
                column: "AgentId",
                principalTable: "Agents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_DecisionReviews_Decisions_DecisionId",
                table: "DecisionReviews",
                column: "DecisionId",
                principalTable: "Decisions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Decisions_Agents_AgentId",
                table: "Decisions",
                column: "AgentId",
                principalTable: "Agents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Decisions_Runs_RunId",
                table: "Decisions",
                column: "RunId",
                principalTable: "Runs",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_PipelineSteps_Runs_RunId",
                table: "PipelineSteps",
                column: "RunId",
                principalTable: "Runs",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_ReviewQueues_Tenants_TenantId",
                table: "ReviewQueues",
                column: "TenantId",
                principalTable: "Tenants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Runs_Agents_AgentId",
                table: "Runs",
                column: "AgentId",
                principalTable: "Agents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Users_Tenants_TenantId",
                table: "Users",
                column: "TenantId",
                principalTable: "Tenants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Domain.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SingleSignOnAndUserAdministration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_UserName",
                table: "Users");

            migrationBuilder.RenameColumn(
                name: "RolesCsv",
                table: "Users",
                newName: "GrantedRolesCsv");

            migrationBuilder.AddColumn<string>(
                name: "ProviderRolesCsv",
                table: "Users",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Issuer",
                table: "Users",
                type: "nvarchar(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Users",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Person");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastSignInAt",
                table: "Users",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "Users",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Subject",
                table: "Users",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "SignInFailures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    UserName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInFailures", x => x.Id);
                });

            // The accounts so far are the demo users: they sign in by user name, with the demo issuer; each gets its own stamp.
            // In EXEC, so SQL Server compiles it after the columns exist (the idempotent script runs a migration as one batch).
            migrationBuilder.Sql("EXEC(N'UPDATE [Users] SET [Issuer] = N''agentconsole:demo'', [Subject] = [UserName], [SecurityStamp] = LOWER(REPLACE(CONVERT(nvarchar(36), NEWID()), ''-'', ''''));');");

            migrationBuilder.CreateIndex(
                name: "IX_Users_Issuer_Subject",
                table: "Users",
                columns: new[] { "Issuer", "Subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SignInFailures_At",
                table: "SignInFailures",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SignInFailures_UserName_At",
                table: "SignInFailures",
                columns: new[] { "UserName", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SignInFailures");

            migrationBuilder.DropIndex(
                name: "IX_Users_Issuer_Subject",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "ProviderRolesCsv",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Issuer",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "LastSignInAt",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Subject",
                table: "Users");

            migrationBuilder.RenameColumn(
                name: "GrantedRolesCsv",
                table: "Users",
                newName: "RolesCsv");

            migrationBuilder.CreateIndex(
                name: "IX_Users_UserName",
                table: "Users",
                column: "UserName",
                unique: true);
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SeedGroupsAndFinals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "GroupId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "GroupId",
                table: "LeaderboardSubmissions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsFinal",
                table: "LeaderboardSubmissions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "FinalsClosedAt",
                table: "Leaderboards",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SeedGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", nullable: false),
                    CourseId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeedGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeedGroups_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SeedGroups_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_GroupId",
                table: "Runs",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderboardSubmissions_GroupId",
                table: "LeaderboardSubmissions",
                column: "GroupId");

            migrationBuilder.CreateIndex(
                name: "IX_SeedGroups_CourseId",
                table: "SeedGroups",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_SeedGroups_OwnerId",
                table: "SeedGroups",
                column: "OwnerId");

            migrationBuilder.AddForeignKey(
                name: "FK_LeaderboardSubmissions_SeedGroups_GroupId",
                table: "LeaderboardSubmissions",
                column: "GroupId",
                principalTable: "SeedGroups",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Runs_SeedGroups_GroupId",
                table: "Runs",
                column: "GroupId",
                principalTable: "SeedGroups",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_LeaderboardSubmissions_SeedGroups_GroupId",
                table: "LeaderboardSubmissions");

            migrationBuilder.DropForeignKey(
                name: "FK_Runs_SeedGroups_GroupId",
                table: "Runs");

            migrationBuilder.DropTable(
                name: "SeedGroups");

            migrationBuilder.DropIndex(
                name: "IX_Runs_GroupId",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_LeaderboardSubmissions_GroupId",
                table: "LeaderboardSubmissions");

            migrationBuilder.DropColumn(
                name: "GroupId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "GroupId",
                table: "LeaderboardSubmissions");

            migrationBuilder.DropColumn(
                name: "IsFinal",
                table: "LeaderboardSubmissions");

            migrationBuilder.DropColumn(
                name: "FinalsClosedAt",
                table: "Leaderboards");
        }
    }
}

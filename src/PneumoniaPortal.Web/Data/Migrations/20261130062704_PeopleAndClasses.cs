using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PeopleAndClasses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "EstimatedSeconds",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ArchivedAt",
                table: "Courses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "MaxComputeMinutesPerWeek",
                table: "Courses",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxEpochsPerRun",
                table: "Courses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxQueuedRunsPerStudent",
                table: "Courses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeletedAt",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastSignInAt",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EstimatedSeconds",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "Courses");

            migrationBuilder.DropColumn(
                name: "MaxComputeMinutesPerWeek",
                table: "Courses");

            migrationBuilder.DropColumn(
                name: "MaxEpochsPerRun",
                table: "Courses");

            migrationBuilder.DropColumn(
                name: "MaxQueuedRunsPerStudent",
                table: "Courses");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LastSignInAt",
                table: "AspNetUsers");
        }
    }
}

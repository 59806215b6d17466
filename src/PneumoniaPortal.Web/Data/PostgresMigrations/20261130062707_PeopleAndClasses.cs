using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.PostgresMigrations
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
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ArchivedAt",
                table: "Courses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "MaxComputeMinutesPerWeek",
                table: "Courses",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxEpochsPerRun",
                table: "Courses",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxQueuedRunsPerStudent",
                table: "Courses",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeletedAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastSignInAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
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

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DatasetsPerClass : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "IsActive",
                table: "Datasets",
                newName: "IsDefault");

            migrationBuilder.AddColumn<int>(
                name: "DatasetId",
                table: "Courses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WorkingCourseId",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Courses_DatasetId",
                table: "Courses",
                column: "DatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_WorkingCourseId",
                table: "AspNetUsers",
                column: "WorkingCourseId");

            migrationBuilder.AddForeignKey(
                name: "FK_AspNetUsers_Courses_WorkingCourseId",
                table: "AspNetUsers",
                column: "WorkingCourseId",
                principalTable: "Courses",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Courses_Datasets_DatasetId",
                table: "Courses",
                column: "DatasetId",
                principalTable: "Datasets",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AspNetUsers_Courses_WorkingCourseId",
                table: "AspNetUsers");

            migrationBuilder.DropForeignKey(
                name: "FK_Courses_Datasets_DatasetId",
                table: "Courses");

            migrationBuilder.DropIndex(
                name: "IX_Courses_DatasetId",
                table: "Courses");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_WorkingCourseId",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "DatasetId",
                table: "Courses");

            migrationBuilder.DropColumn(
                name: "WorkingCourseId",
                table: "AspNetUsers");

            migrationBuilder.RenameColumn(
                name: "IsDefault",
                table: "Datasets",
                newName: "IsActive");
        }
    }
}

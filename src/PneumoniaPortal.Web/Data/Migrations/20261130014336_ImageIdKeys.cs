using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImageIdKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImageIdKey",
                table: "Datasets",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
            // Every data set already here gets its own secret (32 random bytes, hex); new ones get theirs when created.
            migrationBuilder.Sql("UPDATE \"Datasets\" SET \"ImageIdKey\" = lower(hex(randomblob(32))) WHERE \"ImageIdKey\" = '';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImageIdKey",
                table: "Datasets");
        }
    }
}

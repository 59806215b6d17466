using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.PostgresMigrations
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
                type: "text",
                nullable: false,
                defaultValue: "");
            // Every data set already here gets its own secret (two random UUIDs: 244 random bits, hex); new ones get theirs when created.
            migrationBuilder.Sql("UPDATE \"Datasets\" SET \"ImageIdKey\" = replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '') WHERE \"ImageIdKey\" = '';");
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

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkerSpeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WorkerSpeeds",
                columns: table => new
                {
                    Queue = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SecondsPerMac = table.Column<double>(type: "REAL", nullable: false),
                    SecondsPerValue = table.Column<double>(type: "REAL", nullable: false),
                    Correction = table.Column<double>(type: "REAL", nullable: false),
                    Device = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Worker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MeasuredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerSpeeds", x => x.Queue);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WorkerSpeeds");
        }
    }
}

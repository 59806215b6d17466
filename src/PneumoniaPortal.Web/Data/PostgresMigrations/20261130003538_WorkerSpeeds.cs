using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.PostgresMigrations
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
                    Queue = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SecondsPerMac = table.Column<double>(type: "double precision", nullable: false),
                    SecondsPerValue = table.Column<double>(type: "double precision", nullable: false),
                    Correction = table.Column<double>(type: "double precision", nullable: false),
                    Device = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Worker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MeasuredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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

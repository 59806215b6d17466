using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class ReaderStudy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AssistedAt",
                table: "BlindLabels",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssistedLabel",
                table: "BlindLabels",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReaderRunId",
                table: "BlindLabellingSets",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SecondRead",
                table: "BlindLabellingSets",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_BlindLabellingSets_ReaderRunId",
                table: "BlindLabellingSets",
                column: "ReaderRunId");

            migrationBuilder.AddForeignKey(
                name: "FK_BlindLabellingSets_Runs_ReaderRunId",
                table: "BlindLabellingSets",
                column: "ReaderRunId",
                principalTable: "Runs",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_BlindLabellingSets_Runs_ReaderRunId",
                table: "BlindLabellingSets");

            migrationBuilder.DropIndex(
                name: "IX_BlindLabellingSets_ReaderRunId",
                table: "BlindLabellingSets");

            migrationBuilder.DropColumn(
                name: "AssistedAt",
                table: "BlindLabels");

            migrationBuilder.DropColumn(
                name: "AssistedLabel",
                table: "BlindLabels");

            migrationBuilder.DropColumn(
                name: "ReaderRunId",
                table: "BlindLabellingSets");

            migrationBuilder.DropColumn(
                name: "SecondRead",
                table: "BlindLabellingSets");
        }
    }
}

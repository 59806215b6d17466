using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DatabaseEnforcedLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ClaimNumber",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "QuotaSlot",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Day",
                table: "LeaderboardSubmissions",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Slot",
                table: "LeaderboardSubmissions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Submissions made before slots existed keep a slot of their own (their id), on no day, so they never collide.
            migrationBuilder.Sql("UPDATE \"LeaderboardSubmissions\" SET \"Slot\" = \"Id\"");
            // Two open proposals for one image (possible before, when two were made at once): the later one is closed.
            migrationBuilder.Sql("UPDATE \"RelabelProposals\" SET \"Status\" = 'Rejected', " +
                "\"DecisionComment\" = 'Closed by the portal: another proposal for this image was already open.' " +
                "WHERE \"Status\" = 'Open' AND EXISTS (SELECT 1 FROM \"RelabelProposals\" AS o WHERE o.\"Status\" = 'Open' " +
                "AND o.\"DatasetId\" = \"RelabelProposals\".\"DatasetId\" AND o.\"RelativePath\" = \"RelabelProposals\".\"RelativePath\" " +
                "AND o.\"Id\" < \"RelabelProposals\".\"Id\")");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_OneRunPerQuotaSlot",
                table: "Runs",
                columns: new[] { "OwnerId", "QuotaSlot" },
                unique: true,
                filter: "\"QuotaSlot\" IS NOT NULL AND \"Status\" IN ('Queued', 'Running')");

            migrationBuilder.CreateIndex(
                name: "IX_RelabelProposals_OneOpenPerImage",
                table: "RelabelProposals",
                columns: new[] { "DatasetId", "RelativePath" },
                unique: true,
                filter: "\"Status\" = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderboardSubmissions_LeaderboardId_UserId_Day_Slot",
                table: "LeaderboardSubmissions",
                columns: new[] { "LeaderboardId", "UserId", "Day", "Slot" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_OneRunPerQuotaSlot",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_RelabelProposals_OneOpenPerImage",
                table: "RelabelProposals");

            migrationBuilder.DropIndex(
                name: "IX_LeaderboardSubmissions_LeaderboardId_UserId_Day_Slot",
                table: "LeaderboardSubmissions");

            migrationBuilder.DropColumn(
                name: "ClaimNumber",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "QuotaSlot",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Day",
                table: "LeaderboardSubmissions");

            migrationBuilder.DropColumn(
                name: "Slot",
                table: "LeaderboardSubmissions");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PneumoniaPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Relabelling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LabelVersion",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "BlindLabellingSets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CourseId = table.Column<int>(type: "INTEGER", nullable: false),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlindLabellingSets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BlindLabellingSets_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RelabelProposals",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    RelativePath = table.Column<string>(type: "TEXT", nullable: false),
                    CurrentLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CurrentSubtype = table.Column<string>(type: "TEXT", nullable: false),
                    ProposedLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ProposedSubtype = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ProposerId = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AcceptedLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    AcceptedSubtype = table.Column<string>(type: "TEXT", nullable: true),
                    LabelVersion = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelabelProposals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RelabelProposals_AspNetUsers_DecidedById",
                        column: x => x.DecidedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_RelabelProposals_AspNetUsers_ProposerId",
                        column: x => x.ProposerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RelabelProposals_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BlindLabellingItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SetId = table.Column<int>(type: "INTEGER", nullable: false),
                    RelativePath = table.Column<string>(type: "TEXT", nullable: false),
                    GoldLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlindLabellingItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BlindLabellingItems_BlindLabellingSets_SetId",
                        column: x => x.SetId,
                        principalTable: "BlindLabellingSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LabelChanges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    RelativePath = table.Column<string>(type: "TEXT", nullable: false),
                    FromLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FromSubtype = table.Column<string>(type: "TEXT", nullable: false),
                    ToLabel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ToSubtype = table.Column<string>(type: "TEXT", nullable: false),
                    ProposalId = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LabelChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LabelChanges_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LabelChanges_RelabelProposals_ProposalId",
                        column: x => x.ProposalId,
                        principalTable: "RelabelProposals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProposalVotes",
                columns: table => new
                {
                    ProposalId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Agree = table.Column<bool>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProposalVotes", x => new { x.ProposalId, x.UserId });
                    table.ForeignKey(
                        name: "FK_ProposalVotes_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ProposalVotes_RelabelProposals_ProposalId",
                        column: x => x.ProposalId,
                        principalTable: "RelabelProposals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BlindLabels",
                columns: table => new
                {
                    ItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BlindLabels", x => new { x.ItemId, x.UserId });
                    table.ForeignKey(
                        name: "FK_BlindLabels_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_BlindLabels_BlindLabellingItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "BlindLabellingItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BlindLabellingItems_SetId_RelativePath",
                table: "BlindLabellingItems",
                columns: new[] { "SetId", "RelativePath" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BlindLabellingSets_CourseId",
                table: "BlindLabellingSets",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_BlindLabels_UserId",
                table: "BlindLabels",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_LabelChanges_DatasetId_RelativePath",
                table: "LabelChanges",
                columns: new[] { "DatasetId", "RelativePath" });

            migrationBuilder.CreateIndex(
                name: "IX_LabelChanges_DatasetId_Version",
                table: "LabelChanges",
                columns: new[] { "DatasetId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LabelChanges_ProposalId",
                table: "LabelChanges",
                column: "ProposalId");

            migrationBuilder.CreateIndex(
                name: "IX_ProposalVotes_UserId",
                table: "ProposalVotes",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_RelabelProposals_DatasetId_RelativePath",
                table: "RelabelProposals",
                columns: new[] { "DatasetId", "RelativePath" });

            migrationBuilder.CreateIndex(
                name: "IX_RelabelProposals_DatasetId_Status",
                table: "RelabelProposals",
                columns: new[] { "DatasetId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_RelabelProposals_DecidedById",
                table: "RelabelProposals",
                column: "DecidedById");

            migrationBuilder.CreateIndex(
                name: "IX_RelabelProposals_ProposerId",
                table: "RelabelProposals",
                column: "ProposerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BlindLabels");

            migrationBuilder.DropTable(
                name: "LabelChanges");

            migrationBuilder.DropTable(
                name: "ProposalVotes");

            migrationBuilder.DropTable(
                name: "BlindLabellingItems");

            migrationBuilder.DropTable(
                name: "RelabelProposals");

            migrationBuilder.DropTable(
                name: "BlindLabellingSets");

            migrationBuilder.DropColumn(
                name: "LabelVersion",
                table: "Runs");
        }
    }
}

using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace PneumoniaPortal.Web.Data;

/// <summary>
/// The portal's data. This type is the SQLite database (its migrations are in Data/Migrations);
/// <see cref="PostgresPortalDbContext"/> is the same model on PostgreSQL with migrations of its own.
/// </summary>
public class PortalDbContext : IdentityDbContext<PortalUser>
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options) : base(options) { }

    /// <summary>For the provider-specific subclasses, which keep their own migrations.</summary>
    protected PortalDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Course> Courses => Set<Course>();
    public DbSet<CourseMember> CourseMembers => Set<CourseMember>();
    public DbSet<TrainingRun> Runs => Set<TrainingRun>();
    public DbSet<RunEpoch> RunEpochs => Set<RunEpoch>();
    public DbSet<SeedGroup> SeedGroups => Set<SeedGroup>();
    public DbSet<ImportedDataset> Datasets => Set<ImportedDataset>();
    public DbSet<Leaderboard> Leaderboards => Set<Leaderboard>();
    public DbSet<LeaderboardSubmission> LeaderboardSubmissions => Set<LeaderboardSubmission>();
    public DbSet<RelabelProposal> RelabelProposals => Set<RelabelProposal>();
    public DbSet<ProposalVote> ProposalVotes => Set<ProposalVote>();
    public DbSet<LabelChangeRecord> LabelChanges => Set<LabelChangeRecord>();
    public DbSet<BlindLabellingSet> BlindLabellingSets => Set<BlindLabellingSet>();
    public DbSet<BlindLabellingItem> BlindLabellingItems => Set<BlindLabellingItem>();
    public DbSet<BlindLabel> BlindLabels => Set<BlindLabel>();
    public DbSet<WorkerSpeed> WorkerSpeeds => Set<WorkerSpeed>();
    public DbSet<HeldBackImage> HeldBackImages => Set<HeldBackImage>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.Entity<Course>(e =>
        {
            e.Property(c => c.Name).HasMaxLength(120);
            e.Property(c => c.JoinCode).HasMaxLength(16);
            e.HasIndex(c => c.JoinCode).IsUnique();
            // A data set a class works on stays: it can be replaced for the class, not deleted under it.
            e.HasOne<ImportedDataset>().WithMany().HasForeignKey(c => c.DatasetId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<PortalUser>(e => e.HasOne<Course>().WithMany().HasForeignKey(u => u.WorkingCourseId).OnDelete(DeleteBehavior.SetNull));
        b.Entity<CourseMember>(e =>
        {
            e.HasKey(m => new { m.CourseId, m.UserId });
            e.HasOne(m => m.Course).WithMany(c => c.Members).HasForeignKey(m => m.CourseId);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId);
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<TrainingRun>(e =>
        {
            e.HasOne(r => r.Owner).WithMany().HasForeignKey(r => r.OwnerId);
            e.HasOne(r => r.Course).WithMany().HasForeignKey(r => r.CourseId).OnDelete(DeleteBehavior.SetNull);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.Name).HasMaxLength(120);
            e.Property(r => r.Worker).HasMaxLength(200);
            e.HasIndex(r => new { r.OwnerId, r.QueuedAt });
            // A student's queued and running runs each hold one of their quota's slots: two starts at once (on two
            // nodes) cannot both take the last one.
            e.HasIndex(r => new { r.OwnerId, r.QuotaSlot }, "IX_Runs_OneRunPerQuotaSlot").IsUnique()
                .HasFilter("\"QuotaSlot\" IS NOT NULL AND \"Status\" IN ('Queued', 'Running')");
            e.HasIndex(r => r.Status);
            e.HasOne(r => r.Group).WithMany(g => g.Runs).HasForeignKey(r => r.GroupId).OnDelete(DeleteBehavior.SetNull);
            e.Ignore(r => r.IsActive);
        });
        b.Entity<SeedGroup>(e =>
        {
            e.HasOne(g => g.Owner).WithMany().HasForeignKey(g => g.OwnerId);
            e.HasOne<Course>().WithMany().HasForeignKey(g => g.CourseId).OnDelete(DeleteBehavior.SetNull);
            e.Property(g => g.Name).HasMaxLength(120);
        });
        b.Entity<RunEpoch>(e =>
        {
            e.HasIndex(x => new { x.RunId, x.Epoch }).IsUnique();
            e.HasOne<TrainingRun>().WithMany(r => r.Epochs).HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ImportedDataset>(e => e.Property(d => d.Name).HasMaxLength(200));
        b.Entity<Leaderboard>(e =>
        {
            e.HasOne(l => l.Course).WithMany().HasForeignKey(l => l.CourseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ImportedDataset>().WithMany().HasForeignKey(l => l.DatasetId);
            e.Property(l => l.Title).HasMaxLength(120);
            e.Property(l => l.Metric).HasConversion<string>().HasMaxLength(32);
            e.HasIndex(l => l.CourseId);
        });
        b.Entity<LeaderboardSubmission>(e =>
        {
            e.HasOne(s => s.Leaderboard).WithMany(l => l.Submissions).HasForeignKey(s => s.LeaderboardId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(s => s.Run).WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(s => s.Group).WithMany().HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId);
            e.HasIndex(s => new { s.LeaderboardId, s.UserId, s.SubmittedAt });
            // Each submission of a day takes one of the day's numbered slots, so the daily limit holds across nodes.
            e.Property(s => s.Day).HasMaxLength(10);
            e.HasIndex(s => new { s.LeaderboardId, s.UserId, s.Day, s.Slot }).IsUnique();
        });
        b.Entity<RelabelProposal>(e =>
        {
            e.HasOne<ImportedDataset>().WithMany().HasForeignKey(p => p.DatasetId);
            e.HasOne(p => p.Proposer).WithMany().HasForeignKey(p => p.ProposerId);
            e.HasOne(p => p.DecidedBy).WithMany().HasForeignKey(p => p.DecidedById);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(p => p.CurrentLabel).HasConversion<string>().HasMaxLength(16);
            e.Property(p => p.ProposedLabel).HasConversion<string>().HasMaxLength(16);
            e.Property(p => p.AcceptedLabel).HasConversion<string>().HasMaxLength(16);
            e.Property(p => p.Reason).HasMaxLength(2000);
            e.Property(p => p.DecisionComment).HasMaxLength(2000);
            e.HasIndex(p => new { p.DatasetId, p.RelativePath });
            e.HasIndex(p => new { p.DatasetId, p.Status });
            // One open proposal per image, however many people propose at once.
            e.HasIndex(p => new { p.DatasetId, p.RelativePath }, "IX_RelabelProposals_OneOpenPerImage").IsUnique()
                .HasFilter("\"Status\" = 'Open'");
        });
        b.Entity<ProposalVote>(e =>
        {
            e.HasKey(v => new { v.ProposalId, v.UserId });
            e.HasOne<RelabelProposal>().WithMany(p => p.Votes).HasForeignKey(v => v.ProposalId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(v => v.User).WithMany().HasForeignKey(v => v.UserId);
            e.Property(v => v.Comment).HasMaxLength(1000);
        });
        b.Entity<LabelChangeRecord>(e =>
        {
            e.HasOne<ImportedDataset>().WithMany().HasForeignKey(c => c.DatasetId);
            e.HasOne<RelabelProposal>().WithMany().HasForeignKey(c => c.ProposalId);
            e.Property(c => c.FromLabel).HasConversion<string>().HasMaxLength(16);
            e.Property(c => c.ToLabel).HasConversion<string>().HasMaxLength(16);
            // One change per version: two decisions at once cannot both become version n.
            e.HasIndex(c => new { c.DatasetId, c.Version }).IsUnique();
            e.HasIndex(c => new { c.DatasetId, c.RelativePath });
        });
        b.Entity<BlindLabellingSet>(e =>
        {
            e.HasOne(s => s.Course).WithMany().HasForeignKey(s => s.CourseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(s => s.ReaderRun).WithMany().HasForeignKey(s => s.ReaderRunId).OnDelete(DeleteBehavior.SetNull);
            e.Property(s => s.Title).HasMaxLength(120);
        });
        b.Entity<BlindLabellingItem>(e =>
        {
            e.HasOne(i => i.Set).WithMany(s => s.Items).HasForeignKey(i => i.SetId).OnDelete(DeleteBehavior.Cascade);
            e.Property(i => i.GoldLabel).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(i => new { i.SetId, i.RelativePath }).IsUnique();
        });
        b.Entity<BlindLabel>(e =>
        {
            e.HasKey(a => new { a.ItemId, a.UserId });
            e.HasOne<BlindLabellingItem>().WithMany(i => i.Answers).HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(a => a.User).WithMany().HasForeignKey(a => a.UserId);
            e.Property(a => a.Label).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.AssistedLabel).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<HeldBackImage>(e =>
        {
            e.HasOne<Leaderboard>().WithMany(l => l.HeldBack).HasForeignKey(h => h.LeaderboardId).OnDelete(DeleteBehavior.Cascade);
            e.Property(h => h.RelativePath).HasMaxLength(400);
            e.Property(h => h.Md5).HasMaxLength(32);
            e.Property(h => h.Label).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(h => new { h.LeaderboardId, h.RelativePath }).IsUnique();
            e.HasIndex(h => h.Md5);
        });
        b.Entity<WorkerSpeed>(e =>
        {
            e.HasKey(w => w.Queue);
            e.Property(w => w.Queue).HasMaxLength(20);
            e.Property(w => w.Device).HasMaxLength(40);
            e.Property(w => w.Worker).HasMaxLength(200);
        });
        // SQLite cannot order by DateTimeOffset; store it as ticks-sortable text (ISO 8601 UTC).
        if (Database.IsSqlite())
            foreach (var entity in b.Model.GetEntityTypes())
                foreach (var property in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
                    property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
    }
}

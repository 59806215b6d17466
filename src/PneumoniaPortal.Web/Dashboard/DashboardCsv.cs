using System.Text;
using CsvHelper;

namespace PneumoniaPortal.Web.Dashboard;

/// <summary>
/// The class view's per-student figures as CSV for a gradebook: one row per student, numbers in the invariant culture,
/// and every name or e-mail a student typed escaped so a spreadsheet shows it as text, never runs it as a formula.
/// </summary>
public static class DashboardCsv
{
    public static readonly string[] Header =
    [
        "student", "email", "runs", "finished_runs", "seed_groups", "best_val_auc", "best_test_auc", "test_accuracy_of_best", "best_run_id",
        "leaderboard_public_rank", "leaderboard_public_score", "leaderboard_private_rank", "leaderboard_private_score", "leaderboard_gap", "leaderboard_entrants",
        "practice_gold_answers", "practice_gold_agreement", "last_activity_utc",
    ];

    static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static string Write(ClassDashboard dashboard)
    {
        var text = new StringWriter(new StringBuilder());
        using (var csv = CsvWriter.Create(text, Options))
        {
            csv.WriteRecord(Header);
            foreach (var s in dashboard.Students)
            {
                csv.WriteField(s.Name);
                csv.WriteField(s.Email ?? "");
                csv.WriteField(s.Runs);
                csv.WriteField(s.FinishedRuns);
                csv.WriteField(s.SeedGroups);
                Number(csv, s.BestValAuc);
                Number(csv, s.BestTestAuc);
                Number(csv, s.BestTestAccuracy);
                csv.WriteField(s.BestRunId);
                csv.WriteField(s.PublicRank);
                Number(csv, s.PublicScore);
                csv.WriteField(s.PrivateRank);
                Number(csv, s.PrivateScore);
                Number(csv, s.Gap);
                csv.WriteField(s.Entrants);
                csv.WriteField(s.PracticeAnswered);
                Number(csv, s.PracticeAgreement);
                csv.WriteField(s.LastActivity?.UtcDateTime, "yyyy-MM-ddTHH:mm:ssZ");
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    static void Number(CsvWriter csv, double? value) => csv.WriteField(value, "0.####");

    /// <summary>"class-3-figures.csv": the class's id only (its name is the instructor's text, and a file name is no place for it).</summary>
    public static string FileName(ClassDashboard dashboard) => $"class-{dashboard.CourseId}-figures.csv";
}

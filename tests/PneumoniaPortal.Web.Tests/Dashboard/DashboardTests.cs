using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Dashboard;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Dashboard;

/// <summary>
/// The demo class with two students and four finished tiny runs: each student trains one without and one with
/// per-image standardisation; the classmate shares only the second. The classmate's display name is hostile. The
/// class then gets a leaderboard, which holds back half the test split, and the demo student submits a run.
/// </summary>
public sealed class DashboardHost : PortalHost, IAsyncLifetime
{
    public const string HostileName = "=HYPERLINK(\"http://evil.example\")<b>x</b>";
    public SignedInClient Instructor { get; private set; } = default!;
    public SignedInClient Student { get; private set; } = default!;
    public SignedInClient Classmate { get; private set; } = default!;
    public int CourseId { get; private set; }
    public int BoardId { get; private set; }
    public IReadOnlyList<int> StudentRuns { get; private set; } = [];
    public IReadOnlyList<int> ClassmateRuns { get; private set; } = [];

    public static RunConfig Config(bool standardise, int seed) => PortalApi.TinyConfig(epochs: 1) with
    {
        Training = PortalApi.TinyConfig().Training with { Epochs = 1, PerImageStandardization = standardise, Seed = seed },
    };

    public async Task InitializeAsync()
    {
        Instructor = await SignInAsync(DemoSeeder.InstructorEmail);
        Student = await SignInAsync(DemoSeeder.StudentEmail);
        var course = await DemoCourseAsync();
        CourseId = course.Id;
        var (classmate, _, classmateId) = await RegisterStudentAsync(course.JoinCode);
        Classmate = classmate;
        await using (var db = await NewDbAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Id == classmateId);
            user.DisplayName = HostileName;
            await db.SaveChangesAsync();
        }

        StudentRuns = [await Student.StartRunAsync("plain", Config(false, 1)), await Student.StartRunAsync("standardised", Config(true, 2))];
        ClassmateRuns = [await Classmate.StartRunAsync("mine plain", Config(false, 3)), await Classmate.StartRunAsync("mine standardised", Config(true, 4))];
        foreach (var (client, id) in StudentRuns.Select(id => (Student, id)).Concat(ClassmateRuns.Select(id => (Classmate, id))))
        {
            var done = await client.WaitForAsync(id, TimeSpan.FromMinutes(4), "Succeeded", "Failed");
            if (done.Status != "Succeeded") throw new InvalidOperationException($"Run {id} failed: {done.Error}");
        }
        var shared = await Classmate.Http.PostAsync($"api/runs/{ClassmateRuns[1]}/share?shared=true", null);
        shared.EnsureSuccessStatusCode();

        BoardId = await Instructor.CreateBoardAsync(CourseId, new LeaderboardSettings { Title = "Class view board", Seed = 5 });
        var submitted = await Student.Http.PostAsJsonAsync($"api/leaderboards/{BoardId}/submissions", new SubmitRunRequest(StudentRuns[1]), PortalApi.Json);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    /// <summary>The test images a run calls wrong at its own threshold, straight from its folder.</summary>
    public IReadOnlyList<string> Missed(int runId)
    {
        var folder = new RunFolder(Path.Combine(Services.GetRequiredService<PortalPaths>().RunsDirectory, $"run-{runId:D6}"));
        var threshold = folder.ReadRecord().Test!.Threshold.Threshold;
        return folder.ReadPredictions().Where(p => p.Split == "test" && (p.Probability >= threshold) != (p.Label == Label.Pneumonia)).Select(p => p.RelativePath).ToList();
    }
}

public sealed class DashboardTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static async Task<ClassDashboard> DashboardAsync(SignedInClient client, int courseId)
    {
        var response = await client.Http.GetAsync($"api/classes/{courseId}/dashboard");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<ClassDashboard>(body, PortalApi.Json)!;
    }

    [Fact]
    public async Task The_instructor_sees_every_student_with_figures_from_their_runs_and_the_effect_pooled_over_all_four()
    {
        var view = await DashboardAsync(host.Instructor, host.CourseId);
        Assert.True(view.IsInstructorView);
        Assert.Equal(2, view.Students.Count);
        await using var db = await host.NewDbAsync();
        var runs = await db.Runs.AsNoTracking().Where(r => r.CourseId == host.CourseId).ToListAsync();
        Assert.Equal(4, runs.Count);

        var student = view.Students.Single(s => s.Email == DemoSeeder.StudentEmail);
        var theirs = runs.Where(r => host.StudentRuns.Contains(r.Id)).ToList();
        var best = theirs.OrderByDescending(r => r.TestAuc).First();
        Assert.Equal((2, 2, 0), (student.Runs, student.FinishedRuns, student.SeedGroups));
        Assert.Equal(best.Id, student.BestRunId);
        Assert.Equal(best.TestAuc, student.BestTestAuc);
        Assert.Equal(best.TestAccuracy, student.BestTestAccuracy);
        Assert.Equal(theirs.Max(r => r.BestValAuc), student.BestValAuc);
        // The instructor sees both halves' standings, and the gap between them.
        var submission = await db.LeaderboardSubmissions.AsNoTracking().SingleAsync(s => s.LeaderboardId == host.BoardId);
        Assert.Equal((1, 1), (student.PublicRank, student.Entrants));
        Assert.Equal(submission.PublicScore, student.PublicScore);
        Assert.Equal(submission.PrivateScore, student.PrivateScore);
        Assert.Equal(submission.PublicScore - submission.PrivateScore, student.Gap!.Value, 12);
        Assert.Equal("Class view board", view.Leaderboard);

        var classmate = view.Students.Single(s => s.Name == DashboardHost.HostileName);
        Assert.Null(classmate.PublicRank);
        Assert.Equal(2, classmate.Runs);

        // Pooled over all four: per-image standardisation on against off, 2 runs each, the difference of the means.
        Assert.Equal(4, view.PooledRuns);
        Assert.Equal(4, view.Lines.Count);
        var effect = view.Effects.Single(e => e.Setting == "Training.PerImageStandardization");
        var on = runs.Where(r => r.Id == host.StudentRuns[1] || r.Id == host.ClassmateRuns[1]).Average(r => r.TestAuc!.Value);
        var off = runs.Where(r => r.Id == host.StudentRuns[0] || r.Id == host.ClassmateRuns[0]).Average(r => r.TestAuc!.Value);
        Assert.Equal(("yes", 2, 2), (effect.Value, effect.With, effect.Without));
        Assert.Equal(on - off, effect.Difference, 12);
        Assert.Contains("n = 2 vs 2", effect.Sentence);
        Assert.DoesNotContain(view.Effects, e => e.Setting is "Training.Seed" or "Training.Device");
        var axis = view.Axes.Single(a => a.Setting == "Training.PerImageStandardization");
        Assert.Equal(["no", "yes"], axis.Values);
        Assert.All(view.Lines, l => Assert.Equal(runs.Single(r => r.Id == l.RunId).TestAuc, l.TestAuc));
    }

    [Fact]
    public async Task The_most_missed_images_count_each_runs_misses_at_its_threshold_and_leave_out_what_the_leaderboard_holds_back()
    {
        var view = await DashboardAsync(host.Instructor, host.CourseId);
        var hidden = await host.HeldBackPathsAsync();
        Assert.NotEmpty(hidden);
        var dataset = await host.DefaultDatasetAsync();
        var counts = host.StudentRuns.Concat(host.ClassmateRuns).SelectMany(host.Missed).Where(p => !hidden.Contains(p))
            .GroupBy(p => p).ToDictionary(g => dataset.IdOf(dataset.IndexOf(g.Key)!.Value), g => g.Count());
        Assert.Equal(4, view.GalleryRuns);
        Assert.NotEmpty(view.MostMissed);
        Assert.Equal(Math.Min(ClassDashboardService.GallerySize, counts.Count), view.MostMissed.Count);
        foreach (var image in view.MostMissed)
        {
            Assert.Equal(counts[image.ImageId], image.Missed);
            Assert.Equal(4, image.Runs);
            Assert.Equal(dataset.Catalog.Images[dataset.IndexOfId(image.ImageId)!.Value].Label, image.Label);
        }
        // Most missed first, and nothing missed more often was left out.
        Assert.Equal(view.MostMissed.Select(m => m.Missed).OrderDescending(), view.MostMissed.Select(m => m.Missed));
        Assert.True(counts.Values.Count(c => c > view.MostMissed[^1].Missed) <= view.MostMissed.Count);
    }

    [Fact]
    public async Task A_student_sees_their_own_row_and_charts_pooled_over_their_runs_and_shared_ones_never_a_private_run()
    {
        var view = await DashboardAsync(host.Student, host.CourseId);
        Assert.False(view.IsInstructorView);
        var me = Assert.Single(view.Students);
        Assert.True(me.IsMe);
        Assert.Null(me.Email);
        Assert.Equal(1, me.PublicRank);
        // The private half is not revealed: no private score, no gap.
        Assert.Null(me.PrivateScore);
        Assert.Null(me.PrivateRank);
        Assert.Null(me.Gap);

        Assert.Equal(3, view.PooledRuns);
        Assert.Equal(host.StudentRuns.Append(host.ClassmateRuns[1]).Order(), view.Lines.Select(l => l.RunId).Order());
        Assert.DoesNotContain(view.Lines, l => l.RunId == host.ClassmateRuns[0]);
        // A classmate's shared run carries its name, not its owner's.
        Assert.DoesNotContain(view.Lines, l => l.Label.Contains(DashboardHost.HostileName, StringComparison.Ordinal));
        Assert.Equal(3, view.GalleryRuns);
        // With one run on one side no effect of standardisation can be pooled from what the student may see.
        Assert.DoesNotContain(view.Effects, e => e.Setting == "Training.PerImageStandardization" && e.Without < 2 && e.With < 2);
        Assert.All(view.Effects, e => Assert.True(e.With >= 2 && e.Without >= 2));

        var classmateView = await DashboardAsync(host.Classmate, host.CourseId);
        var row = Assert.Single(classmateView.Students);
        Assert.Equal(DashboardHost.HostileName, row.Name);
        Assert.Null(row.PublicRank);
    }

    [Fact]
    public async Task The_csv_is_the_instructors_with_one_row_per_student_and_hostile_names_escaped_and_nobody_else_gets_it()
    {
        var response = await host.Instructor.Http.GetAsync($"api/classes/{host.CourseId}/dashboard.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"class-{host.CourseId}-figures.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(string.Join(',', DashboardCsv.Header), lines[0]);
        Assert.Equal(3, lines.Count);
        // A name that starts with = is written so a spreadsheet shows it as text, never runs it.
        var hostile = lines.Single(l => l.Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.False(hostile.StartsWith('='));
        Assert.StartsWith("\"'=HYPERLINK(", hostile, StringComparison.Ordinal);
        var student = lines.Single(l => l.Contains(DemoSeeder.StudentEmail, StringComparison.Ordinal)).Split(',');
        Assert.Equal("2", student[2]);
        Assert.Equal("1", student[9]);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.GetAsync($"api/classes/{host.CourseId}/dashboard.csv")).StatusCode);
        var outsider = (await host.RegisterStudentAsync(await host.OutsiderJoinCodeAsync())).Client;
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/classes/{host.CourseId}/dashboard.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/classes/{host.CourseId}/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Instructor.Http.GetAsync("api/classes/99999/dashboard")).StatusCode);
    }
}

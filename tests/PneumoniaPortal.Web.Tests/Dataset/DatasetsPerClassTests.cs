using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Classes;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>Each class works on its own data set; a student in two classes sees the one of the class they work in.</summary>
public sealed class DatasetsPerClassTests
{
    [Fact]
    public async Task Two_classes_work_on_two_data_sets_an_import_moves_neither_and_a_student_in_both_sees_each_classs_images()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);
        var demo = await portal.DemoCourseAsync();
        var sample = await portal.DefaultDatasetAsync();
        var second = await NewClassAsync(portal, "Radiology elective");

        // An instructor's upload is added to the known data sets; no class moves to it.
        var upload = await instructor.Http.PostAsync("api/dataset/import?name=elective", DatasetEndpointTests.ZipContent(DatasetTestData.KaggleZip(perFolder: 5)));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var elective = (await upload.Content.ReadFromJsonAsync<DatasetImportResult>(PortalApi.Json))!;
        Assert.False(elective.IsDefault);
        Assert.Equal(sample.Id, (await portal.DefaultDatasetAsync()).Id);
        Assert.Equal([null, null], await DatasetsOfAsync(portal, demo.Id, second.Id));
        Assert.Equal(sample.Catalog.Count - (await portal.HeldBackPathsAsync()).Count, (await ImagesAsync(student)).Count);

        // The second class's instructor chooses it for that class only.
        (await instructor.Http.PutAsJsonAsync($"api/classes/{second.Id}/dataset", new ClassDatasetRequest(elective.Id), PortalApi.Json)).EnsureSuccessStatusCode();
        Assert.Equal([null, elective.Id], await DatasetsOfAsync(portal, demo.Id, second.Id));
        // Another import afterwards moves neither class.
        var another = await instructor.Http.PostAsync("api/dataset/import?name=another", DatasetEndpointTests.ZipContent(DatasetTestData.KaggleZip(perFolder: 3)));
        Assert.Equal(HttpStatusCode.OK, another.StatusCode);
        Assert.Equal([null, elective.Id], await DatasetsOfAsync(portal, demo.Id, second.Id));

        // The demo student joins the second class: they keep working in the first until they choose.
        (await student.Http.PostAsJsonAsync("api/classes/join", new JoinClassRequest(second.JoinCode), PortalApi.Json)).EnsureSuccessStatusCode();
        var working = (await student.Http.GetFromJsonAsync<WorkingClass>("api/classes/working", PortalApi.Json))!;
        Assert.Equal((demo.Id, sample.Id), (working.CourseId, working.DatasetId));
        Assert.Equal([demo.Id, second.Id], working.Choices.Select(c => c.CourseId));
        Assert.Equal("elective", working.Choices.Single(c => c.CourseId == second.Id).DatasetName);
        var onSample = await ImagesAsync(student);

        var chosen = await (await student.Http.PutAsJsonAsync("api/classes/working", new WorkingClassRequest(second.Id), PortalApi.Json))
            .Content.ReadFromJsonAsync<WorkingClass>(PortalApi.Json);
        Assert.Equal((second.Id, elective.Id), (chosen!.CourseId, chosen.DatasetId));
        var onElective = await ImagesAsync(student);
        Assert.Equal(20, onElective.Count);
        Assert.Empty(onElective.Select(i => i.Id).Intersect(onSample.Select(i => i.Id)));
        Assert.Equal(20, (await student.Http.GetFromJsonAsync<DatasetStatistics>("api/dataset/statistics", PortalApi.Json))!.TotalImages);
        Assert.Equal(HttpStatusCode.OK, (await student.Http.GetAsync($"api/dataset/images/{onElective[0].Id}/thumb")).StatusCode);
        // The explorer page says which data set it shows.
        Assert.Contains("elective", await student.Http.GetStringAsync("dataset"));

        // A run started now is filed under the second class and trains on its data set.
        var run = await student.StartRunAsync("on the elective's set", PortalApi.TinyConfig(epochs: 1));
        Assert.Equal("Succeeded", (await student.WaitForAsync(run, TimeSpan.FromMinutes(3), "Succeeded", "Failed")).Status);
        await using (var db = await portal.NewDbAsync())
        {
            var row = await db.Runs.SingleAsync(r => r.Id == run);
            Assert.Equal((second.Id, elective.Id), (row.CourseId, row.DatasetId));
        }

        // Back in the first class, the sample again; the choice is kept across sign-ins.
        (await student.Http.PutAsJsonAsync("api/classes/working", new WorkingClassRequest(demo.Id), PortalApi.Json)).EnsureSuccessStatusCode();
        using var again = await portal.SignInAsync(DemoSeeder.StudentEmail);
        Assert.Equal(onSample.Select(i => i.Id), (await ImagesAsync(again)).Select(i => i.Id));
        // The run's results still show its images (of the elective's set), on this node or any other that reads it then.
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync($"api/dataset/images/{onElective[0].Id}/thumb")).StatusCode);

        // Someone outside the second class cannot work in it, and cannot move it.
        var (outsider, _, _) = await portal.RegisterStudentAsync(demo.JoinCode);
        using (outsider)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.PutAsJsonAsync("api/classes/working", new WorkingClassRequest(second.Id), PortalApi.Json)).StatusCode);
            // An image id of a data set that is none of theirs answers like an id of nothing.
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/dataset/images/{onElective[0].Id}/thumb")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await outsider.Http.PutAsJsonAsync($"api/classes/{second.Id}/dataset", new ClassDatasetRequest(null), PortalApi.Json)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await instructor.Http.PutAsJsonAsync($"api/classes/{second.Id}/dataset", new ClassDatasetRequest(9999), PortalApi.Json)).StatusCode);
        Assert.Equal([null, elective.Id], await DatasetsOfAsync(portal, demo.Id, second.Id));
    }

    [Fact]
    public async Task A_class_on_a_re_split_of_a_set_with_a_leaderboard_never_sees_a_held_back_image_even_where_it_moved_to_train()
    {
        using var portal = new PortalHost();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        var demo = await portal.DemoCourseAsync();
        await instructor.CreateBoardAsync(demo.Id, new LeaderboardSettings { Title = "Demo board", Seed = 5 });
        var held = await portal.HeldBackPathsAsync();
        Assert.NotEmpty(held);

        // Pooled and dealt again: most held-back test images land in train or validation of the new set.
        var sample = await portal.DefaultDatasetAsync();
        var resplit = await instructor.Http.PostAsJsonAsync("api/dataset/resplit", new ResplitRequest(sample.Id, 0.6, 0.2, 0.2, 11), PortalApi.Json);
        var derived = (await resplit.Content.ReadFromJsonAsync<DatasetResplitResult>(PortalApi.Json))!.Dataset;
        var second = await NewClassAsync(portal, "Re-split class");
        (await instructor.Http.PutAsJsonAsync($"api/classes/{second.Id}/dataset", new ClassDatasetRequest(derived.Id), PortalApi.Json)).EnsureSuccessStatusCode();
        var (student, _, studentId) = await portal.RegisterStudentAsync(second.JoinCode);
        using (student)
        {
            var loaded = await portal.Services.GetRequiredService<DatasetService>().GetAsync(derived.Id);
            var moved = held.Where(p => loaded.Catalog.Find(p)!.Split != Split.Test).ToList();
            Assert.NotEmpty(moved);

            var images = await ImagesAsync(student);
            Assert.Equal(loaded.Catalog.Count - held.Count, images.Count);
            Assert.Empty(images.Select(i => i.Path).Intersect(held));
            foreach (var path in moved.Take(5))
                Assert.Equal(HttpStatusCode.NotFound, (await student.Http.GetAsync($"api/dataset/images/{loaded.IdOf(path)}")).StatusCode);
            // The set-up form's augmentation preview offers none of them either.
            using var scope = portal.Services.CreateScope();
            var visible = await scope.ServiceProvider.GetRequiredService<DatasetVisibility>()
                .ForAsync(new Web.Security.Viewer(studentId, "student", true, false, false));
            Assert.Equal(derived.Id, visible.Dataset.Id);
            Assert.All(held, p => Assert.False(visible.CanSee(loaded.IndexOf(p)!.Value)));
        }
    }

    static async Task<Course> NewClassAsync(PortalHost portal, string name)
    {
        await using var db = await portal.NewDbAsync();
        var instructor = await db.Users.SingleAsync(u => u.Email == DemoSeeder.InstructorEmail);
        var course = new Course { Name = name, JoinCode = await CourseService.NewJoinCodeAsync(db), CreatedById = instructor.Id };
        course.Members.Add(new CourseMember { UserId = instructor.Id, Role = CourseRole.Instructor });
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return course;
    }

    static async Task<int?[]> DatasetsOfAsync(PortalHost portal, params int[] courses)
    {
        await using var db = await portal.NewDbAsync();
        var rows = await db.Courses.AsNoTracking().Where(c => courses.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DatasetId);
        return courses.Select(c => rows[c]).ToArray();
    }

    static async Task<List<CatalogEntry>> ImagesAsync(SignedInClient client) =>
        (await client.Http.GetFromJsonAsync<List<CatalogEntry>>("api/dataset/images", PortalApi.Json))!;

}

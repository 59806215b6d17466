using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Web.DoubtfulImages;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Tests.Host;
using static PneumoniaPortal.Web.Tests.Practice.BlindPracticeHost;

namespace PneumoniaPortal.Web.Tests.Practice;

/// <summary>Blind labelling practice on a real host: who may do what, what a student can see while a set is open, results, the doubtful queue.</summary>
public sealed class BlindPracticeTests(BlindPracticeHost host) : IClassFixture<BlindPracticeHost>
{
    static Label Other(Label label) => label == Label.Normal ? Label.Pneumonia : Label.Normal;

    [Fact]
    public async Task A_student_labelling_an_open_set_sees_no_path_label_or_classmates_answer()
    {
        var set = await host.CreateSetAsync("Blind check", PracticeImageChoice.Random, 10, Split.Train);
        var items = await host.ItemsAsync(set.Id);
        Assert.Equal(10, items.Count);
        using var classmate = await host.NewStudentAsync(inTheClass: true);
        await ReadAsync<PracticeSheet>(await AnswerAsync(classmate, set.Id, items[0].Id, Label.Pneumonia));

        var sheetJson = await host.Student.Http.GetStringAsync($"api/relabel/practice/{set.Id}");
        var sheet = System.Text.Json.JsonSerializer.Deserialize<PracticeSheet>(sheetJson, PortalApi.Json)!;
        Assert.Equal(items.Select(i => i.Id), sheet.Items.Select(i => i.ItemId));
        Assert.All(sheet.Items, i => Assert.Null(i.MyAnswer));
        Assert.True(sheet.CanAnswer);
        Assert.False(sheet.CanSeeResults);
        // Nothing in it names a class: no label, no path, not the classmate's answer.
        Assert.DoesNotContain("normal", sheetJson, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pneumonia", sheetJson, StringComparison.OrdinalIgnoreCase);

        var answered = await ReadAsync<PracticeSheet>(await AnswerAsync(host.Student, set.Id, items[1].Id, Label.Normal));
        Assert.Equal(Label.Normal, answered.Items[1].MyAnswer);
        Assert.Null(answered.Items[0].MyAnswer);
        var changed = await ReadAsync<PracticeSheet>(await AnswerAsync(host.Student, set.Id, items[1].Id, Label.Pneumonia));
        Assert.Equal((Label?)Label.Pneumonia, changed.Items[1].MyAnswer);
        Assert.Equal(1, changed.Answered);

        var results = await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/results");
        Assert.Equal(HttpStatusCode.Forbidden, results.StatusCode);
        Assert.Contains("closes it", await results.Content.ReadAsStringAsync());

        var page = await host.Student.Http.GetStringAsync($"relabel/practice/{set.Id}");
        foreach (var testId in new[] { "practice-sheet", "practice-image", "practice-progress", "practice-answer-normal", "practice-answer-pneumonia" })
            Assert.Contains($"data-testid=\"{testId}\"", page);
        Assert.Contains("Image 1 of 10 · 1 answered", page);
        Assert.DoesNotContain("data-testid=\"practice-results\"", page);
        Assert.DoesNotContain("data-testid=\"practice-close\"", page);
        // The image is addressed by item id: no data set index (the explorer maps it to a path), path or file name.
        Assert.Contains($"api/relabel/practice/{set.Id}/items/{items[0].Id}/image", page);
        Assert.DoesNotContain("api/dataset/images", page);
        foreach (var item in items)
        {
            Assert.DoesNotContain(item.RelativePath, page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Path.GetFileName(item.RelativePath), page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Path.GetFileNameWithoutExtension(item.RelativePath), page, StringComparison.OrdinalIgnoreCase);
        }

        var image = await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/items/{items[0].Id}/image");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.StartsWith("image/", image.Content.Headers.ContentType!.MediaType);
        Assert.Null(image.Content.Headers.ContentDisposition);
        Assert.True((await image.Content.ReadAsByteArrayAsync()).Length > 1000);
    }

    [Fact]
    public async Task A_student_outside_the_class_can_neither_see_nor_answer_a_set()
    {
        var set = await host.CreateSetAsync("Members only", PracticeImageChoice.Random, 3, Split.Train);
        var item = (await host.ItemsAsync(set.Id))[0];
        using var outsider = await host.NewStudentAsync(inTheClass: false);

        var answer = await AnswerAsync(outsider, set.Id, item.Id, Label.Normal);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        foreach (var url in new[] { $"api/relabel/practice/{set.Id}", $"api/relabel/practice/{set.Id}/results", $"api/relabel/practice/{set.Id}/items/{item.Id}/image" })
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(url)).StatusCode);
        var list = await outsider.Http.GetFromJsonAsync<List<PracticeSetSummary>>("api/relabel/practice", PortalApi.Json);
        Assert.Empty(list!);
        await using var db = await host.NewDbAsync();
        Assert.False(await db.BlindLabels.AnyAsync(a => a.ItemId == item.Id));
    }

    [Fact]
    public async Task Students_cannot_create_or_close_a_set_and_instructors_do_not_answer()
    {
        var create = await host.Student.Http.PostAsJsonAsync("api/relabel/practice",
            new CreatePracticeSet(host.CourseId, "Sneaky", PracticeImageChoice.Random, 5, Split.Train), PortalApi.Json);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);

        var set = await host.CreateSetAsync("Instructor runs it", PracticeImageChoice.Random, 3, Split.Train);
        var close = await host.Student.Http.PostAsync($"api/relabel/practice/{set.Id}/close", null);
        Assert.Equal(HttpStatusCode.Forbidden, close.StatusCode);
        var sheet = await host.Student.Http.GetFromJsonAsync<PracticeSheet>($"api/relabel/practice/{set.Id}", PortalApi.Json);
        Assert.False(sheet!.Closed);
        Assert.False(sheet.CanManage);

        var item = (await host.ItemsAsync(set.Id))[0];
        Assert.Equal(HttpStatusCode.Forbidden, (await AnswerAsync(host.Instructor, set.Id, item.Id, Label.Normal)).StatusCode);
    }

    [Fact]
    public async Task A_set_without_a_title_or_with_too_many_images_is_refused_with_the_reason()
    {
        var response = await host.Instructor.Http.PostAsJsonAsync("api/relabel/practice",
            new CreatePracticeSet(host.CourseId, "", PracticeImageChoice.Random, 5000), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("3 to 120 characters", body);
        Assert.Contains("1 to 200 images", body);
    }

    [Fact]
    public async Task After_closing_students_see_their_agreement_with_the_gold_standard_and_the_class()
    {
        var set = await host.CreateSetAsync("Gold practice", PracticeImageChoice.GoldStandard, 4, Split.Train);
        Assert.Equal(4, set.GoldImages);
        var items = await host.ItemsAsync(set.Id);
        var active = await host.DefaultDatasetAsync();
        // The gold label is the label the image had when the instructor vouched for it.
        Assert.All(items, i => Assert.Equal(active.Catalog.Images[active.IndexOf(i.RelativePath)!.Value].Label, i.GoldLabel));

        using var classmate = await host.NewStudentAsync(inTheClass: true);
        for (var k = 0; k < items.Count; k++)
        {
            var gold = items[k].GoldLabel!.Value;
            await ReadAsync<PracticeSheet>(await AnswerAsync(host.Student, set.Id, items[k].Id, k == 3 ? Other(gold) : gold));
            await ReadAsync<PracticeSheet>(await AnswerAsync(classmate, set.Id, items[k].Id, gold));
        }

        // The instructor sees everyone's results while the set is open.
        var open = await ReadAsync<PracticeResults>(await host.Instructor.Http.GetAsync($"api/relabel/practice/{set.Id}/results"));
        Assert.Equal((2, 8, 2), (open.Students, open.Answers, open.PerStudent.Count));
        Assert.Equal(7.0 / 8, open.ClassGoldAgreement!.Value, 10);
        var instructorPage = await host.Instructor.Http.GetStringAsync($"relabel/practice/{set.Id}");
        Assert.Contains("data-testid=\"practice-results\"", instructorPage);
        Assert.Contains("data-testid=\"practice-close\"", instructorPage);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/results")).StatusCode);
        var closed = await ReadAsync<PracticeSheet>(await host.Instructor.Http.PostAsync($"api/relabel/practice/{set.Id}/close", null));
        Assert.True(closed.Closed);

        var results = await ReadAsync<PracticeResults>(await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/results"));
        Assert.False(results.IsInstructorView);
        var me = Assert.Single(results.PerStudent);
        Assert.True(me.IsMe);
        Assert.Equal((4, 4, 3, 0.75), (me.Answered, me.GoldAnswered, me.GoldAgreed, me.GoldAgreement!.Value));
        // Leave one out: the class consensus on each image is the classmate's answer, the gold label.
        Assert.Equal((4, 3, 0.75), (me.ConsensusCompared, me.ConsensusAgreed, me.ConsensusAgreement!.Value));
        var disputed = results.PerImage[0];
        Assert.Equal(items[3].Id, disputed.ItemId);
        Assert.Equal((1.0, items[3].RelativePath, items[3].GoldLabel, items[3].GoldLabel), (disputed.Disagreement, disputed.RelativePath, disputed.CurrentLabel, disputed.GoldLabel));
        Assert.Equal(Other(items[3].GoldLabel!.Value), disputed.MyAnswer);

        var page = await host.Student.Http.GetStringAsync($"relabel/practice/{set.Id}");
        Assert.Contains("data-testid=\"practice-results\"", page);
        Assert.Contains("data-testid=\"practice-agreement\"", page);
        Assert.Contains($"3 of 4 ({PneumoniaPortal.Web.Format.Percent(0.75)})", page);

        Assert.Equal(HttpStatusCode.Conflict, (await AnswerAsync(host.Student, set.Id, items[0].Id, Label.Normal)).StatusCode);
        await ReadAsync<PracticeSheet>(await host.Instructor.Http.PostAsync($"api/relabel/practice/{set.Id}/close?closed=false", null));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/results")).StatusCode);
    }

    [Fact]
    public async Task Blind_answers_against_the_label_put_the_image_in_the_doubtful_queue()
    {
        var set = await host.CreateSetAsync("Queue feed", PracticeImageChoice.Random, 3, Split.Train, seed: 9);
        var item = (await host.ItemsAsync(set.Id))[0];
        var active = await host.DefaultDatasetAsync();
        var label = active.Catalog.Images[active.IndexOf(item.RelativePath)!.Value].Label;

        for (var k = 0; k < 3; k++)
        {
            using var student = await host.NewStudentAsync(inTheClass: true);
            await ReadAsync<PracticeSheet>(await AnswerAsync(student, set.Id, item.Id, Other(label)));
        }

        using (var scope = host.Services.CreateScope())
        {
            var queue = await scope.ServiceProvider.GetRequiredService<DoubtfulQueueService>().RankAsync(await host.DefaultDatasetAsync());
            var entry = Assert.Single(queue, e => e.Doubt.Image.RelativePath == item.RelativePath);
            var evidence = Assert.Single(entry.Doubt.Evidence, e => e.Kind == EvidenceKind.ClassDisagreement);
            Assert.Contains($"3 of 3 students chose {Other(label).ToString().ToUpperInvariant()}", evidence.Reason);
        }

        // The instructor can now practise on the most doubtful images, this one among them.
        var doubtful = await host.CreateSetAsync("Most doubtful", PracticeImageChoice.MostDoubtful, 200);
        var picked = await host.ItemsAsync(doubtful.Id);
        Assert.Contains(picked, i => i.RelativePath == item.RelativePath);
        Assert.All(picked, i => Assert.Null(i.GoldLabel));
    }

    [Fact]
    public async Task Images_a_leaderboard_holds_back_never_go_into_a_practice_set()
    {
        await host.Instructor.CreateBoardAsync(host.CourseId, new LeaderboardSettings { Title = "Practice leak check", Seed = 3, HeldOutFraction = 0.5 });
        var active = await host.DefaultDatasetAsync();
        var hidden = await host.Services.GetRequiredService<HeldOutImages>().PathsAsync(active.Catalog);
        Assert.NotEmpty(hidden);

        var set = await host.CreateSetAsync("Whole test split", PracticeImageChoice.GoldStandard, 200, Split.Test);
        var items = await host.ItemsAsync(set.Id);
        Assert.Equal(active.Catalog.InSplit(Split.Test).Count() - hidden.Count, items.Count);
        Assert.DoesNotContain(items, i => hidden.Contains(i.RelativePath));
    }
}

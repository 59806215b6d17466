using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Practice;
using PneumoniaPortal.Web.Tests.Host;
using SkiaSharp;
using static PneumoniaPortal.Web.Tests.Practice.BlindPracticeHost;

namespace PneumoniaPortal.Web.Tests.Practice;

/// <summary>A practice portal where the demo student trained two tiny runs and shared the first with the class: the reader study's model.</summary>
public sealed class ReaderStudyHost : IAsyncLifetime
{
    public BlindPracticeHost Portal { get; } = new();
    public int ModelRunId { get; private set; }
    public int PrivateRunId { get; private set; }

    public async Task InitializeAsync()
    {
        await Portal.InitializeAsync();
        ModelRunId = await Portal.Student.StartRunAsync("reader model", PortalApi.TinyConfig(epochs: 2));
        PrivateRunId = await Portal.Student.StartRunAsync("private run", PortalApi.TinyConfig(epochs: 1));
        foreach (var id in new[] { ModelRunId, PrivateRunId })
            Assert.Equal("Succeeded", (await Portal.Student.WaitForAsync(id, TimeSpan.FromMinutes(4), "Succeeded", "Failed")).Status);
        (await Portal.Student.Http.PostAsync($"api/runs/{ModelRunId}/share?shared=true", null)).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        Portal.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The model's test probabilities by path and its threshold, straight from its folder.</summary>
    public (IReadOnlyDictionary<string, float> Probabilities, double Threshold) Model()
    {
        var folder = new RunFolder(Path.Combine(Portal.Services.GetRequiredService<PortalPaths>().RunsDirectory, $"run-{ModelRunId:D6}"));
        return (folder.ReadPredictions().Where(p => p.Split == "test").ToDictionary(p => p.RelativePath, p => p.Probability), folder.ReadRecord().Test!.Threshold.Threshold);
    }
}

public sealed class ReaderStudyTests(ReaderStudyHost fixture) : IClassFixture<ReaderStudyHost>
{
    readonly BlindPracticeHost host = fixture.Portal;

    static Label Other(Label label) => label == Label.Normal ? Label.Pneumonia : Label.Normal;

    Task<HttpResponseMessage> ChooseAsync(SignedInClient client, int setId, int? runId, bool secondRead = false) =>
        client.Http.PutAsJsonAsync($"api/relabel/practice/{setId}/reader-model", new ReaderModelRequest(runId, secondRead), PortalApi.Json);

    /// <summary>Cohen's kappa of two 0/1 answer lists, written out here: (observed - chance) / (1 - chance).</summary>
    static double Kappa(IReadOnlyList<Label> a, IReadOnlyList<Label> b)
    {
        double n = a.Count, same = a.Zip(b).Count(p => p.First == p.Second);
        double pa = a.Count(x => x == Label.Pneumonia) / n, pb = b.Count(x => x == Label.Pneumonia) / n;
        var chance = pa * pb + (1 - pa) * (1 - pb);
        return (same / n - chance) / (1 - chance);
    }

    [Fact]
    public async Task Students_become_operating_points_on_the_chosen_models_roc_curve_with_their_kappa()
    {
        var set = await host.CreateSetAsync("Reader study", PracticeImageChoice.GoldStandard, 12, Split.Test, seed: 3);
        var items = await host.ItemsAsync(set.Id);
        Assert.All(items, i => Assert.NotNull(i.GoldLabel));

        // Only the shared run can be the model; the private one, a student and a bad id are refused.
        var choices = await ReadAsync<List<ReaderModelChoice>>(await host.Instructor.Http.GetAsync($"api/relabel/practice/{set.Id}/reader-models"));
        Assert.Equal([fixture.ModelRunId], choices.Select(c => c.RunId));
        Assert.Equal(HttpStatusCode.BadRequest, (await ChooseAsync(host.Instructor, set.Id, fixture.PrivateRunId)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ChooseAsync(host.Instructor, set.Id, 99999)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ChooseAsync(host.Instructor, set.Id, null, secondRead: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ChooseAsync(host.Student, set.Id, fixture.ModelRunId)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/reader-models")).StatusCode);
        var chosen = await ReadAsync<ReaderStudy>(await ChooseAsync(host.Instructor, set.Id, fixture.ModelRunId));
        Assert.Equal(fixture.ModelRunId, chosen.Model!.RunId);

        // The demo student answers every image right but two; a classmate says PNEUMONIA to everything; a third answers half.
        using var classmate = await host.NewStudentAsync(inTheClass: true);
        using var third = await host.NewStudentAsync(inTheClass: true);
        var studentAnswers = items.Select((i, k) => k < 2 ? Other(i.GoldLabel!.Value) : i.GoldLabel!.Value).ToList();
        for (var k = 0; k < items.Count; k++)
        {
            await ReadAsync<PracticeSheet>(await AnswerAsync(host.Student, set.Id, items[k].Id, studentAnswers[k]));
            await ReadAsync<PracticeSheet>(await AnswerAsync(classmate, set.Id, items[k].Id, Label.Pneumonia));
            if (k % 2 == 0) await ReadAsync<PracticeSheet>(await AnswerAsync(third, set.Id, items[k].Id, items[k].GoldLabel!.Value));
        }
        // Not shown to students while the set is open.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/readers")).StatusCode);

        var study = await ReadAsync<ReaderStudy>(await host.Instructor.Http.GetAsync($"api/relabel/practice/{set.Id}/readers"));
        Assert.Equal((12, 0), (study.Images, study.NotInModelTest));
        Assert.Contains("gold labels (12 images)", study.Reference);
        Assert.Equal(3, study.Readers.Count);

        // The model's curve and point, from its own predictions on these 12 images.
        var (probabilities, threshold) = fixture.Model();
        var gold = items.Select(i => i.GoldLabel!.Value).ToList();
        var scores = items.Select(i => probabilities[i.RelativePath]).ToList();
        var pos = scores.Where((_, k) => gold[k] == Label.Pneumonia).ToList();
        var neg = scores.Where((_, k) => gold[k] == Label.Normal).ToList();
        var auc = pos.Sum(p => neg.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0)) / (pos.Count * (double)neg.Count);
        Assert.Equal(auc, study.ModelAuc!.Value, 10);
        var calls = scores.Select(p => p >= threshold ? Label.Pneumonia : Label.Normal).ToList();
        Assert.Equal(calls.Where((c, k) => gold[k] == Label.Pneumonia && c == Label.Pneumonia).Count() / (double)pos.Count, study.ModelPoint!.Sensitivity!.Value, 10);
        Assert.Equal(calls.Where((c, k) => gold[k] == Label.Normal && c == Label.Normal).Count() / (double)neg.Count, study.ModelPoint.Specificity!.Value, 10);

        // The demo student's point and kappa against the gold labels.
        var me = study.Readers.Single(r => r.Images == 12 && r.Sensitivity is not null && r.Specificity is not null && r.Specificity > 0);
        var positives = gold.Count(g => g == Label.Pneumonia);
        Assert.Equal(studentAnswers.Where((a, k) => gold[k] == Label.Pneumonia && a == Label.Pneumonia).Count() / (double)positives, me.Sensitivity!.Value, 10);
        Assert.Equal(studentAnswers.Where((a, k) => gold[k] == Label.Normal && a == Label.Normal).Count() / (double)(12 - positives), me.Specificity!.Value, 10);
        Assert.Equal(Kappa(studentAnswers, gold), me.Kappa!.Kappa, 10);
        Assert.InRange(me.Kappa.Kappa, me.Kappa.Lower, me.Kappa.Upper);
        Assert.NotNull(me.AboveModel);
        // The classmate's "all PNEUMONIA" sits at (1, 1); agreeing with nothing but chance, their kappa is 0.
        var yesSayer = study.Readers.Single(r => r.Specificity == 0);
        Assert.Equal((1.0, 0.0), (yesSayer.Sensitivity!.Value, yesSayer.Kappa!.Kappa));
        // The average reader averages the three points; Fleiss' kappa counts the two who answered every image.
        Assert.Equal(study.Readers.Average(r => r.Sensitivity!.Value), study.Average!.Sensitivity!.Value, 10);
        Assert.Equal(2, study.ClassKappaReaders);
        Assert.NotNull(study.ClassKappa);

        // Closed: a student sees the same chart, their own row as "You", the others unnamed.
        await ReadAsync<PracticeSheet>(await host.Instructor.Http.PostAsync($"api/relabel/practice/{set.Id}/close", null));
        var response = await host.Student.Http.GetAsync($"api/relabel/practice/{set.Id}/readers");
        var body = await response.Content.ReadAsStringAsync();
        var mine = await ReadAsync<ReaderStudy>(response);
        Assert.False(mine.IsInstructorView);
        Assert.Equal("You", Assert.Single(mine.Readers, r => r.IsMe).Reader);
        Assert.All(mine.Readers.Where(r => !r.IsMe), r => Assert.Matches(@"^Reader [1-3]$", r.Reader));
        Assert.Equal(me.Sensitivity, mine.Readers.Single(r => r.IsMe).Sensitivity);
        Assert.DoesNotContain("@example.org", body);
        Assert.DoesNotContain("Demo Student", body, StringComparison.OrdinalIgnoreCase);
        var page = await host.Student.Http.GetStringAsync($"relabel/practice/{set.Id}");
        Assert.Contains("data-testid=\"reader-roc\"", page);
        Assert.Contains("data-readers=\"3\"", page);

        // Someone outside the class learns nothing, not even that the set exists.
        using var outsider = await host.NewStudentAsync(inTheClass: false);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/relabel/practice/{set.Id}/readers")).StatusCode);
    }

    [Fact]
    public async Task Images_the_model_trained_on_are_left_out_and_an_unshared_model_is_no_longer_shown()
    {
        var set = await host.CreateSetAsync("Train images", PracticeImageChoice.GoldStandard, 5, Split.Train, seed: 4);
        await ReadAsync<ReaderStudy>(await ChooseAsync(host.Instructor, set.Id, fixture.ModelRunId));
        var study = await ReadAsync<ReaderStudy>(await host.Instructor.Http.GetAsync($"api/relabel/practice/{set.Id}/readers"));
        Assert.Equal((0, 5), (study.Images, study.NotInModelTest));
        Assert.Empty(study.ModelRoc);

        var test = await host.CreateSetAsync("Unshared later", PracticeImageChoice.GoldStandard, 4, Split.Test, seed: 6);
        await ReadAsync<ReaderStudy>(await ChooseAsync(host.Instructor, test.Id, fixture.ModelRunId));
        (await host.Student.Http.PostAsync($"api/runs/{fixture.ModelRunId}/share?shared=false", null)).EnsureSuccessStatusCode();
        try
        {
            var unshared = await ReadAsync<ReaderStudy>(await host.Instructor.Http.GetAsync($"api/relabel/practice/{test.Id}/readers"));
            Assert.Null(unshared.Model);
            Assert.Contains("no longer", unshared.ModelProblem);
            Assert.Empty(unshared.ModelRoc);
        }
        finally
        {
            (await host.Student.Http.PostAsync($"api/runs/{fixture.ModelRunId}/share?shared=true", null)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_second_read_shows_the_models_answer_and_heat_map_keeps_the_blind_answers_and_counts_switches()
    {
        var set = await host.CreateSetAsync("Second read", PracticeImageChoice.GoldStandard, 6, Split.Test, seed: 8);
        var items = await host.ItemsAsync(set.Id);
        await ReadAsync<ReaderStudy>(await ChooseAsync(host.Instructor, set.Id, fixture.ModelRunId, secondRead: true));
        var (probabilities, threshold) = fixture.Model();
        Label Call(BlindLabellingItem i) => probabilities[i.RelativePath] >= threshold ? Label.Pneumonia : Label.Normal;

        using var reader = await host.NewStudentAsync(inTheClass: true);
        // Before every image is answered blind there is no help, and nothing says which images it will cover.
        var first = await ReadAsync<PracticeSheet>(await AnswerAsync(reader, set.Id, items[0].Id, Other(Call(items[0]))));
        Assert.False(first.SecondReadOpen);
        Assert.All(first.Items, i => Assert.False(i.Rereadable));
        Assert.Equal(HttpStatusCode.Conflict, (await reader.Http.GetAsync($"api/relabel/practice/{set.Id}/items/{items[0].Id}/help")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reader.Http.GetAsync($"api/relabel/practice/{set.Id}/items/{items[0].Id}/gradcam")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reader.Http.PostAsJsonAsync($"api/relabel/practice/{set.Id}/answers",
            new PracticeAnswerRequest(items[0].Id, Label.Normal, Assisted: true), PortalApi.Json)).StatusCode);
        // Blind: every answer against the model's call.
        PracticeSheet sheet = default!;
        foreach (var item in items) sheet = await ReadAsync<PracticeSheet>(await AnswerAsync(reader, set.Id, item.Id, Other(Call(item))));
        Assert.True(sheet.SecondReadOpen);
        Assert.Equal(6, sheet.Rereadable);

        // Until the model's help is shown the blind answers may still change; the instructor may still change the model.
        sheet = await ReadAsync<PracticeSheet>(await AnswerAsync(reader, set.Id, items[5].Id, Call(items[5])));
        sheet = await ReadAsync<PracticeSheet>(await AnswerAsync(reader, set.Id, items[5].Id, Other(Call(items[5]))));
        Assert.False(sheet.BlindLocked);

        // The help: the model's call and whether it is narrow, never the probability (the shared run's predictions
        // download would name the image by it).
        var response = await reader.Http.GetAsync($"api/relabel/practice/{set.Id}/items/{items[1].Id}/help");
        Assert.DoesNotContain("probability", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var help = await ReadAsync<PracticeHelp>(response);
        Assert.Equal(Call(items[1]), help.Call);
        Assert.Equal(Math.Abs(probabilities[items[1].RelativePath] - threshold) < PracticeHelp.NarrowWithin, help.Narrow);
        var cam = await reader.Http.GetAsync($"api/relabel/practice/{set.Id}/items/{items[1].Id}/gradcam");
        Assert.Equal(HttpStatusCode.OK, cam.StatusCode);
        using (var bitmap = SKBitmap.Decode(await cam.Content.ReadAsByteArrayAsync()))
            Assert.Equal((BlindLabellingService.ImageSize, BlindLabellingService.ImageSize), (bitmap.Width, bitmap.Height));
        // The heat map leaves no trace in the model run's activation cache, which any classmate may probe image by image.
        var dataset = await host.DefaultDatasetAsync();
        var imageId = dataset.IdOf(dataset.IndexOf(items[1].RelativePath)!.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Student.Http.GetAsync($"api/runs/{fixture.ModelRunId}/activations/{imageId}")).StatusCode);

        // Seen the help: the blind answers are kept, and the model and the second read stay as they are.
        Assert.Equal(HttpStatusCode.Conflict, (await AnswerAsync(reader, set.Id, items[0].Id, Call(items[0]))).StatusCode);
        sheet = await ReadAsync<PracticeSheet>(await reader.Http.GetAsync($"api/relabel/practice/{set.Id}"));
        Assert.True(sheet.BlindLocked);
        Assert.False(sheet.CanAnswer);
        Assert.Equal(HttpStatusCode.Conflict, (await ChooseAsync(host.Instructor, set.Id, fixture.ModelRunId, secondRead: false)).StatusCode);

        // Second read: switch to the model on the first four images, keep the blind answer on the last two.
        for (var k = 0; k < items.Count; k++)
            sheet = await ReadAsync<PracticeSheet>(await reader.Http.PostAsJsonAsync($"api/relabel/practice/{set.Id}/answers",
                new PracticeAnswerRequest(items[k].Id, k < 4 ? Call(items[k]) : Other(Call(items[k])), Assisted: true), PortalApi.Json));
        Assert.Equal(6, sheet.Reread);
        Assert.Equal(items.Select(i => (Label?)Other(Call(i))), sheet.Items.Select(i => i.MyAnswer));

        var study = await ReadAsync<ReaderStudy>(await host.Instructor.Http.GetAsync($"api/relabel/practice/{set.Id}/readers"));
        var row = Assert.Single(study.SecondRead!.Readers);
        var right = items.Select((i, k) => (Right: Call(i) == i.GoldLabel, Switched: k < 4)).ToList();
        Assert.Equal(6, row.Bias.Images);
        Assert.Equal(right.Count(r => r.Right), row.Bias.DisagreedModelRight);
        Assert.Equal(right.Count(r => r.Right && r.Switched), row.Bias.SwitchedModelRight);
        Assert.Equal(right.Count(r => !r.Right && r.Switched), row.Bias.SwitchedModelWrong);
        Assert.Equal(row.Bias, study.SecondRead.Class);

        // Items not in the set, and people outside the class, get nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await reader.Http.GetAsync($"api/relabel/practice/{set.Id}/items/999999/help")).StatusCode);
        using var outsider = await host.NewStudentAsync(inTheClass: false);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"api/relabel/practice/{set.Id}/items/{items[1].Id}/gradcam")).StatusCode);
    }
}

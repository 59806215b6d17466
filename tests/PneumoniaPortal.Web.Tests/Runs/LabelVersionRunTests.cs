using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Runs;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Runs;

public sealed class LabelVersionRunTests
{
    [Fact]
    public async Task A_run_records_its_label_version_and_trains_on_those_labels_whatever_the_newest_version()
    {
        using var host = new PortalHost();
        using var student = await host.SignInAsync(DemoSeeder.StudentEmail);
        var datasets = host.Services.GetRequiredService<DatasetService>();
        var active = await datasets.GetDefaultAsync();
        var flipped = active.Catalog.Images.First(i => i.Split == Split.Test && i.Label == Label.Normal);

        // An accepted relabelling, as the review workflow stores it: NORMAL -> PNEUMONIA from version 1 on.
        await using (var db = await host.NewDbAsync())
        {
            var instructor = await db.Users.SingleAsync(u => u.Email == DemoSeeder.InstructorEmail);
            var proposal = new RelabelProposal
            {
                DatasetId = active.Id, RelativePath = flipped.RelativePath, CurrentLabel = Label.Normal, CurrentSubtype = "normal",
                ProposedLabel = Label.Pneumonia, ProposedSubtype = "virus", Reason = "test relabelling", ProposerId = instructor.Id,
                Status = ProposalStatus.Accepted, AcceptedLabel = Label.Pneumonia, AcceptedSubtype = "virus", LabelVersion = 1,
            };
            db.RelabelProposals.Add(proposal);
            await db.SaveChangesAsync();
            db.LabelChanges.Add(new LabelChangeRecord
            {
                DatasetId = active.Id, Version = 1, RelativePath = flipped.RelativePath, FromLabel = Label.Normal, FromSubtype = "normal",
                ToLabel = Label.Pneumonia, ToSubtype = "virus", ProposalId = proposal.Id, DecidedById = instructor.Id,
            });
            await db.SaveChangesAsync();
        }
        await datasets.ReloadLabelsAsync(active.Id);
        var relabelled = await datasets.GetDefaultAsync();
        Assert.Equal(1, relabelled.LabelVersion);
        Assert.Equal(Label.Pneumonia, relabelled.Catalog.Find(flipped.RelativePath)!.Label);
        Assert.Equal(Label.Normal, relabelled.Catalog.Original.Find(flipped.RelativePath)!.Label);

        var newest = await student.StartRunAsync("on the newest labels", PortalApi.TinyConfig(epochs: 1));
        var asImported = await StartOnVersionAsync(student, "on the labels as imported", 0);
        var refused = await student.Http.PostAsJsonAsync("api/runs", new StartRunRequest("no such version", "tiny", PortalApi.TinyConfig(1), LabelVersion: 2), PortalApi.Json);
        Assert.False(refused.IsSuccessStatusCode);
        Assert.Contains("Label version 2 does not exist", await refused.Content.ReadAsStringAsync());

        foreach (var id in new[] { newest, asImported })
            Assert.Equal("Succeeded", (await student.WaitForAsync(id, TimeSpan.FromMinutes(3), "Succeeded", "Failed")).Status);
        await using (var db = await host.NewDbAsync())
        {
            var runs = await db.Runs.AsNoTracking().Where(r => r.Id == newest || r.Id == asImported).ToDictionaryAsync(r => r.Id);
            Assert.Equal(1, runs[newest].LabelVersion);
            Assert.Equal(0, runs[asImported].LabelVersion);
            string LabelIn(TrainingRun run) => File.ReadLines(Path.Combine(host.DataDirectory, "runs", run.Folder, "predictions.csv"))
                .Select(l => l.Split(',')).Single(f => f[0] == flipped.RelativePath)[2];
            Assert.Equal("PNEUMONIA", LabelIn(runs[newest]));
            Assert.Equal("NORMAL", LabelIn(runs[asImported]));
        }
    }

    static async Task<int> StartOnVersionAsync(SignedInClient client, string name, int version)
    {
        var response = await client.Http.PostAsJsonAsync("api/runs", new StartRunRequest(name, "tiny", PortalApi.TinyConfig(epochs: 1), LabelVersion: version), PortalApi.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
    }
}

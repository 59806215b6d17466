using System.Net;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Proposals;

namespace PneumoniaPortal.Web.Tests.Proposals;

/// <summary>The CSV exports and the proposals page, as students and instructors get them.</summary>
[Collection(ReviewCollection.Name)]
public sealed class ReviewExportTests(ReviewHost host)
{
    [Fact]
    public async Task Exports_carry_the_accepted_change_and_never_a_held_back_image_for_a_student()
    {
        var (id, index, image) = await host.ProposeFlipAsync();
        var to = image.Label == Label.Normal ? Label.Pneumonia : Label.Normal;
        var accepted = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Accept, "Clear case, accepted"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var active = await host.DefaultDatasetAsync();
        // A proposal an instructor made on a held-back image must not reach students either.
        var heldBackIndex = active.IndexOf(host.HeldBack.First())!.Value;
        var held = active.Catalog.Images[heldBackIndex];
        await ReviewHost.ProposeAsync(host.Instructor, new ProposeRelabel(active.IdOf(heldBackIndex), held.Label == Label.Normal ? Label.Pneumonia : Label.Normal, null, "Instructor doubts a held-back image"));

        var labels = await host.Student.Http.GetStringAsync("api/relabel/labels.csv");
        var changes = await host.Student.Http.GetStringAsync("api/relabel/changes.csv");

        var lines = labels.TrimEnd('\n').Split('\n');
        Assert.Equal("path,split,label,subtype,label_version,changed_in_version,changed_from_label,changed_from_subtype", lines[0]);
        Assert.Equal(active.Catalog.Count - host.HeldBack.Count, lines.Length - 1);
        var row = Assert.Single(lines, l => l.StartsWith(image.RelativePath + ",", StringComparison.Ordinal)).Split(',');
        Assert.Equal(KaggleLayout.FolderName(to), row[2]);
        Assert.Equal(active.LabelVersion.ToString(), row[4]);
        await using (var db = await host.NewDbAsync())
            Assert.Equal((await db.LabelChanges.SingleAsync(c => c.ProposalId == id)).Version.ToString(), row[5]);
        Assert.Equal(KaggleLayout.FolderName(image.Label), row[6]);

        Assert.StartsWith("proposal,path,split,proposed_at,proposed_by", changes);
        var change = Assert.Single(changes.Split('\n'), l => l.StartsWith($"{id},", StringComparison.Ordinal));
        Assert.Contains(image.RelativePath, change);
        Assert.Contains("accepted", change);
        Assert.Contains("Clear case", change);

        foreach (var path in host.HeldBack)
        {
            Assert.DoesNotContain(path, labels, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(path, changes, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("Instructor doubts a held-back image", changes);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Student.Http.GetAsync($"api/relabel/images/{active.IdOf(heldBackIndex)}/history")).StatusCode);

        // Instructors export everything, held-back images included.
        var all = (await host.Instructor.Http.GetStringAsync("api/relabel/labels.csv")).TrimEnd('\n').Split('\n');
        Assert.Equal(active.Catalog.Count, all.Length - 1);
        Assert.Contains("Instructor doubts a held-back image", await host.Instructor.Http.GetStringAsync("api/relabel/changes.csv"));
    }

    [Fact]
    public async Task Proposals_page_lists_open_proposals_with_vote_buttons_and_decision_buttons_only_for_instructors()
    {
        var (id, index, _) = await host.ProposeFlipAsync();

        var student = await host.Student.Http.GetStringAsync("relabel/proposals");
        var instructor = await host.Instructor.Http.GetStringAsync("relabel/proposals");

        foreach (var page in new[] { student, instructor })
        {
            Assert.Contains("data-testid=\"proposals-table\"", page);
            Assert.Contains($"data-proposal=\"{id}\"", page);
            Assert.Contains($"api/dataset/images/{(await host.DefaultDatasetAsync()).IdOf(index)}/thumb", page);
            Assert.Contains("data-testid=\"vote-agree\"", page);
            Assert.Contains("api/relabel/labels.csv", page);
        }
        Assert.DoesNotContain("data-testid=\"decide-accept\"", student);
        Assert.Contains("data-testid=\"decide-accept\"", instructor);
        Assert.Contains("data-testid=\"decide-fix\"", instructor);
        Assert.Contains("data-testid=\"decision-comment\"", instructor);

        await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Reject, "Not convincing"));
        Assert.DoesNotContain($"data-proposal=\"{id}\"", await host.Student.Http.GetStringAsync("relabel/proposals"));
        var decided = await host.Student.Http.GetStringAsync("relabel/proposals?show=decided");
        Assert.Contains($"data-proposal=\"{id}\"", decided);
        Assert.Contains("data-testid=\"decision-result\"", decided);
        Assert.Contains("Not convincing", decided);
    }
}

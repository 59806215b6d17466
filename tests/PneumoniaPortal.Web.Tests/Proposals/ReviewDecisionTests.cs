using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Proposals;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Proposals;

/// <summary>Votes and instructor decisions through the API of a real portal, checked in its database and data set.</summary>
[Collection(ReviewCollection.Name)]
public sealed class ReviewDecisionTests(ReviewHost host)
{
    [Fact]
    public async Task Student_cannot_decide_a_proposal_and_nothing_changes()
    {
        var (id, index, image) = await host.ProposeFlipAsync();
        var before = await host.DefaultDatasetAsync();

        var response = await ReviewHost.DecideAsync(host.Student, id, new DecideProposal(ReviewDecision.Accept, "I agree with it"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Only instructors and admins decide", await response.Content.ReadAsStringAsync());
        await using var db = await host.NewDbAsync();
        var proposal = await db.RelabelProposals.AsNoTracking().SingleAsync(p => p.Id == id);
        Assert.Equal(ProposalStatus.Open, proposal.Status);
        Assert.Null(proposal.DecidedById);
        Assert.False(await db.LabelChanges.AnyAsync(c => c.ProposalId == id));
        var after = await host.DefaultDatasetAsync();
        Assert.Equal(before.LabelVersion, after.LabelVersion);
        Assert.Equal(image.Label, after.Catalog.Images[index].Label);
    }

    [Fact]
    public async Task Accepting_makes_the_next_label_version_relabels_the_active_data_set_and_keeps_the_original_in_the_history()
    {
        var (id, index, image) = await host.ProposeFlipAsync();
        var to = image.Label == Label.Normal ? Label.Pneumonia : Label.Normal;
        var before = (await host.DefaultDatasetAsync()).LabelVersion;
        Assert.Equal(HttpStatusCode.OK, (await ReviewHost.VoteAsync(host.Student, id, agree: true, "clear consolidation")).StatusCode);

        var response = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Accept, "Agreed: the image shows it"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("labelVersion").GetInt32());
        var active = await host.DefaultDatasetAsync();
        Assert.Equal(before + 1, active.LabelVersion);
        Assert.Equal(to, active.Catalog.Images[index].Label);
        Assert.Equal(image.Label, active.Catalog.Original.Images[index].Label);
        await using (var db = await host.NewDbAsync())
        {
            var change = await db.LabelChanges.AsNoTracking().SingleAsync(c => c.ProposalId == id);
            Assert.Equal((before + 1, image.Label, to), (change.Version, change.FromLabel, change.ToLabel));
            var proposal = await db.RelabelProposals.AsNoTracking().SingleAsync(p => p.Id == id);
            Assert.Equal((ProposalStatus.Accepted, (int?)(before + 1), (Label?)to), (proposal.Status, proposal.LabelVersion, proposal.AcceptedLabel));
        }

        var history = (await host.Student.Http.GetFromJsonAsync<List<LabelHistoryEntry>>($"api/relabel/images/{(await host.DefaultDatasetAsync()).IdOf(index)}/history", PortalApi.Json))!;
        Assert.Equal([LabelHistoryKind.Original, LabelHistoryKind.Proposed, LabelHistoryKind.Accepted], history.Select(e => e.Kind));
        Assert.Equal(image.Label, history[0].Label);
        Assert.Equal(to, history[1].Label);
        Assert.Equal((1, 0), (history[1].Agree, history[1].Disagree));
        Assert.Contains("The folder label does not match", history[1].Text!);
        Assert.Equal((to, (int?)(before + 1), "Agreed: the image shows it"), (history[2].Label, history[2].Version, history[2].Text));
        Assert.Contains("Demo instructor", history[2].Who);
    }

    [Fact]
    public async Task Rejecting_leaves_the_labels_alone()
    {
        var (id, index, image) = await host.ProposeFlipAsync();
        var before = (await host.DefaultDatasetAsync()).LabelVersion;

        var response = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Reject, "The folder label is right"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var active = await host.DefaultDatasetAsync();
        Assert.Equal(before, active.LabelVersion);
        Assert.Equal(image.Label, active.Catalog.Images[index].Label);
        await using var db = await host.NewDbAsync();
        Assert.False(await db.LabelChanges.AnyAsync(c => c.ProposalId == id));
        var view = await ReviewHost.GetAsync(host.Student, id);
        Assert.Equal(ProposalStatus.Rejected, view.Status);
        Assert.Equal("The folder label is right", view.DecisionComment);
        Assert.Null(view.LabelVersion);
    }

    [Fact]
    public async Task Fix_and_accept_stores_the_instructors_label_instead_of_the_proposed_one()
    {
        var (index, image) = await host.FreshImageAsync(originally: Label.Normal);
        var id = await ReviewHost.ProposeAsync(host.Proposer, new ProposeRelabel((await host.DefaultDatasetAsync()).IdOf(index), Label.Pneumonia, "virus", "Interstitial pattern on both sides, looks viral to me"));

        var response = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Fix, "Pneumonia yes, but lobar: bacterial", Label.Pneumonia, "bacteria"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var active = await host.DefaultDatasetAsync();
        Assert.Equal((Label.Pneumonia, "bacteria"), (active.Catalog.Images[index].Label, active.Catalog.Images[index].Subtype));
        await using var db = await host.NewDbAsync();
        var change = await db.LabelChanges.AsNoTracking().SingleAsync(c => c.ProposalId == id);
        Assert.Equal((Label.Normal, image.Subtype, Label.Pneumonia, "bacteria"), (change.FromLabel, change.FromSubtype, change.ToLabel, change.ToSubtype));
        var view = await ReviewHost.GetAsync(host.Instructor, id);
        Assert.True(view.Fixed);
        Assert.Equal(("virus", "bacteria"), (view.ProposedSubtype, view.AcceptedSubtype));
    }

    [Fact]
    public async Task A_vote_counts_once_per_person_can_be_changed_while_open_and_not_on_ones_own_proposal()
    {
        var (id, _, _) = await host.ProposeFlipAsync();

        Assert.Equal(HttpStatusCode.OK, (await ReviewHost.VoteAsync(host.Student, id, agree: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReviewHost.VoteAsync(host.Student, id, agree: false, "the ribs overlap, not an opacity")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReviewHost.VoteAsync(host.Instructor, id, agree: true)).StatusCode);
        var own = await ReviewHost.VoteAsync(host.Proposer, id, agree: true);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("your own proposal", await own.Content.ReadAsStringAsync());

        var view = await ReviewHost.GetAsync(host.Student, id);
        Assert.Equal((1, 1, (bool?)false), (view.Agree, view.Disagree, view.MyVote));
        Assert.True(view.CanVote);
        Assert.False(view.CanDecide);
        Assert.Contains(view.Votes, v => v.Comment == "the ribs overlap, not an opacity");

        await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Reject, "Overlap, as the class says"));
        var late = await ReviewHost.VoteAsync(host.Student, id, agree: true);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("voting is closed", await late.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Proposal_made_against_a_label_that_changed_since_is_flagged_to_the_instructor()
    {
        var (id, index, image) = await host.ProposeFlipAsync();
        await using (var db = await host.NewDbAsync())
        {
            // Another proposal on the same image made the label change meanwhile (written directly, as an earlier version would have).
            var open = await db.RelabelProposals.SingleAsync(p => p.Id == id);
            open.CurrentSubtype = image.Label == Label.Normal ? "bacteria" : "normal";
            open.CurrentLabel = image.Label == Label.Normal ? Label.Pneumonia : Label.Normal;
            open.ProposedLabel = image.Label;
            open.ProposedSubtype = image.Subtype;
            await db.SaveChangesAsync();
        }
        var view = await ReviewHost.GetAsync(host.Instructor, id);
        Assert.True(view.Stale);
        // Accepting it would change nothing: the instructor is told to reject it instead.
        var accept = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Accept, "ok then"));
        Assert.Equal(HttpStatusCode.BadRequest, accept.StatusCode);
        Assert.Contains("already labelled", await accept.Content.ReadAsStringAsync());
        Assert.Equal(ProposalStatus.Open, (await ReviewHost.GetAsync(host.Instructor, id)).Status);
        Assert.Equal(image.Label, (await host.DefaultDatasetAsync()).Catalog.Images[index].Label);
    }

    [Fact]
    public async Task Two_instructors_deciding_the_same_proposal_at_once_store_exactly_one_decision_and_the_other_is_told_who_won()
    {
        const int rounds = 10;
        var ids = new List<int>();
        for (var round = 0; round < rounds; round++)
        {
            var (id, _, _) = await host.ProposeFlipAsync();
            ids.Add(id);
            // Even rounds: both accept (one version, not two); odd rounds: one accepts while the other rejects.
            var second = round % 2 == 0 ? ReviewDecision.Accept : ReviewDecision.Reject;
            var answers = await Task.WhenAll(
                ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Accept, $"instructor accepts {round}")),
                ReviewHost.DecideAsync(host.Admin, id, new DecideProposal(second, $"admin decides {round}")));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var lost = Assert.Single(answers, a => a.StatusCode != HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
            var message = await lost.Content.ReadAsStringAsync();
            Assert.Matches($@"Proposal #{id} was already (accepted|rejected) by (Demo instructor|Portal admin) at \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC", message);

            await using var db = await host.NewDbAsync();
            var proposal = await db.RelabelProposals.AsNoTracking().SingleAsync(p => p.Id == id);
            var changes = await db.LabelChanges.AsNoTracking().Where(c => c.ProposalId == id).ToListAsync();
            if (proposal.Status == ProposalStatus.Accepted)
            {
                var change = Assert.Single(changes);
                Assert.Equal(proposal.LabelVersion, change.Version);
                Assert.Equal(proposal.DecidedById, change.DecidedById);
            }
            else
            {
                Assert.Equal(ProposalStatus.Rejected, proposal.Status);
                Assert.Empty(changes);
                Assert.Null(proposal.LabelVersion);
            }
            // The stored comment is the winner's: nothing of the losing decision was written.
            Assert.Contains(proposal.DecidedById == (await db.Users.SingleAsync(u => u.Email == DemoSeeder.AdminEmail)).Id ? "admin" : "instructor", proposal.DecisionComment);
        }

        await using (var db = await host.NewDbAsync())
        {
            var active = await host.DefaultDatasetAsync();
            var versions = await db.LabelChanges.AsNoTracking().Where(c => c.DatasetId == active.Id).Select(c => c.Version).OrderBy(v => v).ToListAsync();
            Assert.Equal(Enumerable.Range(1, versions.Count), versions);
            Assert.Equal(versions.Count, active.LabelVersion);
            Assert.True(await db.LabelChanges.CountAsync(c => ids.Contains(c.ProposalId)) >= rounds / 2, "every round where both accepted made one change");
        }
    }

    [Fact]
    public async Task Decisions_on_unknown_proposals_and_without_a_comment_are_refused_in_words()
    {
        var (id, _, _) = await host.ProposeFlipAsync();
        var noComment = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Reject, " "));
        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.Contains("Write a comment", await noComment.Content.ReadAsStringAsync());
        var noLabel = await ReviewHost.DecideAsync(host.Instructor, id, new DecideProposal(ReviewDecision.Fix, "fixing it"));
        Assert.Equal(HttpStatusCode.BadRequest, noLabel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReviewHost.DecideAsync(host.Instructor, 999_999, new DecideProposal(ReviewDecision.Reject, "nothing"))).StatusCode);
        Assert.Equal(ProposalStatus.Open, (await ReviewHost.GetAsync(host.Instructor, id)).Status);
    }
}

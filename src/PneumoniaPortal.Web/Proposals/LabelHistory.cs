using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>Builds an image's label history: the original label first, then proposals and decisions in the order they happened.</summary>
internal static class LabelHistory
{
    public static IReadOnlyList<LabelHistoryEntry> Of(ImageRecord original, IEnumerable<ReviewRow> proposals)
    {
        var events = new List<LabelHistoryEntry>();
        foreach (var row in proposals)
        {
            var p = row.Proposal;
            events.Add(new LabelHistoryEntry(p.ProposedLabel,
                $"Proposed by {row.Proposer} (proposal #{p.Id}): {Named(p.ProposedLabel, p.ProposedSubtype)} instead of {Named(p.CurrentLabel, p.CurrentSubtype)}", p.CreatedAt)
            {
                Kind = LabelHistoryKind.Proposed, Subtype = p.ProposedSubtype, Who = row.Proposer, Text = p.Reason, ProposalId = p.Id,
                Agree = row.Agree, Disagree = row.Disagree,
            });
            if (p.Status == ProposalStatus.Accepted && p.AcceptedLabel is { } accepted)
            {
                var fixedText = accepted != p.ProposedLabel || p.AcceptedSubtype != p.ProposedSubtype ? " with the instructor's fix" : "";
                events.Add(new LabelHistoryEntry(accepted,
                    $"Accepted by {row.DecidedBy}{fixedText} (proposal #{p.Id}): {Named(accepted, p.AcceptedSubtype ?? "")} from label version {p.LabelVersion}", p.DecidedAt)
                {
                    Kind = LabelHistoryKind.Accepted, Subtype = p.AcceptedSubtype ?? "", Who = row.DecidedBy, Text = p.DecisionComment,
                    ProposalId = p.Id, Version = p.LabelVersion, Agree = row.Agree, Disagree = row.Disagree,
                });
            }
            else if (p.Status == ProposalStatus.Rejected)
                events.Add(new LabelHistoryEntry(p.CurrentLabel,
                    $"Rejected by {row.DecidedBy} (proposal #{p.Id}): the label stays {Named(p.CurrentLabel, p.CurrentSubtype)}", p.DecidedAt)
                {
                    Kind = LabelHistoryKind.Rejected, Subtype = p.CurrentSubtype, Who = row.DecidedBy, Text = p.DecisionComment,
                    ProposalId = p.Id, Agree = row.Agree, Disagree = row.Disagree,
                });
        }
        return [ImageGallery.OriginalEntry(original), .. events.OrderBy(e => e.At).ThenBy(e => e.ProposalId).ThenBy(e => e.Kind)];
    }

    static string Named(Label label, string subtype) => $"{KaggleLayout.FolderName(label)} ({subtype})";
}

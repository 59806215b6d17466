using System.Globalization;
using System.Text;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.Proposals;

/// <summary>
/// The relabelling exports as CSV (RFC 4180 quoting): the current labels, and the full change log. Callers pass only
/// what the viewer may see, so a held-back image never appears in a student's file.
/// </summary>
internal static class LabelExport
{
    public static string LabelsCsv(LoadedDataset active, VisibleDataset visible, IReadOnlyList<LabelChangeRecord> changes)
    {
        var newest = changes.Where(c => c.Version <= active.LabelVersion)
            .GroupBy(c => c.RelativePath, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.Version)!, StringComparer.Ordinal);
        var csv = new StringBuilder("path,split,label,subtype,label_version,changed_in_version,changed_from_label,changed_from_subtype\n");
        for (var i = 0; i < active.Catalog.Count; i++)
        {
            if (!visible.CanSee(i)) continue;
            var image = active.Catalog.Images[i];
            var original = active.Catalog.Original.Find(image.RelativePath) ?? image;
            var changed = newest.GetValueOrDefault(image.RelativePath);
            Row(csv, image.RelativePath, KaggleLayout.FolderName(image.Split), KaggleLayout.FolderName(image.Label), image.Subtype,
                Number(active.LabelVersion), Number(changed?.Version),
                changed is null ? "" : KaggleLayout.FolderName(original.Label), changed is null ? "" : original.Subtype);
        }
        return csv.ToString();
    }

    public static string ChangesCsv(LoadedDataset active, IEnumerable<ReviewRow> proposals)
    {
        var csv = new StringBuilder("proposal,path,split,proposed_at,proposed_by,from_label,from_subtype,proposed_label,proposed_subtype,reason," +
                                    "agree,disagree,status,decided_at,decided_by,decision_comment,accepted_label,accepted_subtype,label_version\n");
        foreach (var row in proposals.OrderBy(r => r.Proposal.Id))
        {
            var p = row.Proposal;
            var split = active.Catalog.Find(p.RelativePath) is { } image ? KaggleLayout.FolderName(image.Split) : "";
            Row(csv, Number(p.Id), p.RelativePath, split, When(p.CreatedAt), row.Proposer,
                KaggleLayout.FolderName(p.CurrentLabel), p.CurrentSubtype, KaggleLayout.FolderName(p.ProposedLabel), p.ProposedSubtype, p.Reason,
                Number(row.Agree), Number(row.Disagree), p.Status.ToString().ToLowerInvariant(), When(p.DecidedAt), row.DecidedBy ?? "",
                p.DecisionComment ?? "", p.AcceptedLabel is { } a ? KaggleLayout.FolderName(a) : "", p.AcceptedSubtype ?? "", Number(p.LabelVersion));
        }
        return csv.ToString();
    }

    static void Row(StringBuilder csv, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) csv.Append(',');
            csv.Append(Quote(fields[i]));
        }
        csv.Append('\n');
    }

    /// <summary>Quotes a field holding a comma, quote or line break; a leading =, +, - or @ is defused so spreadsheets do not run it.</summary>
    internal static string Quote(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@') field = "'" + field;
        return field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
    }

    static string Number(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";

    static string When(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";
}

using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

/// <summary>One image of a practice set as the agreement math needs it: the gold label (null for a doubtful image) and the current label.</summary>
public sealed record PracticeImageFacts(int ItemId, Label? Gold, Label? Current);

/// <summary>One student's blind answer.</summary>
public sealed record PracticeVote(int ItemId, string UserId, Label Label);

/// <summary>
/// How one student agrees with the gold standard (gold images they answered) and with the class (the majority of the
/// other students' answers on each image they answered; images where the others are evenly split or silent count as
/// no consensus and are left out).
/// </summary>
public sealed record StudentAgreement(string UserId, int Answered, int GoldAnswered, int GoldAgreed, int ConsensusCompared, int ConsensusAgreed, int NoConsensus)
{
    public double? Gold => GoldAnswered == 0 ? null : (double)GoldAgreed / GoldAnswered;
    public double? Consensus => ConsensusCompared == 0 ? null : (double)ConsensusAgreed / ConsensusCompared;
}

/// <summary>
/// How the class answered one image. <see cref="Disagreement"/> is 0 when everyone agrees with the label and 1 when
/// the class is split evenly or everyone chose the other label: the larger of the evenness of the split
/// (2 × minority share) and the share of answers against the current label.
/// </summary>
public sealed record ImageAgreement(int ItemId, int Normal, int Pneumonia, Label? Gold, Label? Current)
{
    public int Total => Normal + Pneumonia;
    /// <summary>What most students chose, or null when they are evenly split or nobody answered.</summary>
    public Label? Majority => Normal == Pneumonia ? null : Normal > Pneumonia ? Label.Normal : Label.Pneumonia;
    public double Split => Total == 0 ? 0 : 2.0 * Math.Min(Normal, Pneumonia) / Total;
    public double AgainstLabel => Total == 0 || Current is null ? 0 : (double)(Current == Label.Normal ? Pneumonia : Normal) / Total;
    public double Disagreement => Math.Max(Split, AgainstLabel);
}

/// <summary>The agreement math of blind labelling practice: plain counting, tested on hand-made answers.</summary>
public static class BlindAgreement
{
    public static IReadOnlyList<StudentAgreement> PerStudent(IReadOnlyList<PracticeImageFacts> images, IReadOnlyList<PracticeVote> votes)
    {
        var gold = images.Where(i => i.Gold is not null).ToDictionary(i => i.ItemId, i => i.Gold!.Value);
        var byItem = votes.GroupBy(v => v.ItemId).ToDictionary(g => g.Key, g => (Normal: g.Count(v => v.Label == Label.Normal), Pneumonia: g.Count(v => v.Label == Label.Pneumonia)));
        return votes.GroupBy(v => v.UserId, StringComparer.Ordinal)
            .Select(mine =>
            {
                int goldAnswered = 0, goldAgreed = 0, compared = 0, agreed = 0, none = 0;
                foreach (var vote in mine)
                {
                    if (gold.TryGetValue(vote.ItemId, out var g))
                    {
                        goldAnswered++;
                        if (g == vote.Label) goldAgreed++;
                    }
                    // Leave one out: the student's own answer is not part of the consensus they are compared with.
                    var (normal, pneumonia) = byItem[vote.ItemId];
                    if (vote.Label == Label.Normal) normal--; else pneumonia--;
                    if (normal == pneumonia) { none++; continue; }
                    compared++;
                    if ((normal > pneumonia ? Label.Normal : Label.Pneumonia) == vote.Label) agreed++;
                }
                return new StudentAgreement(mine.Key, mine.Count(), goldAnswered, goldAgreed, compared, agreed, none);
            })
            .ToList();
    }

    /// <summary>Every image with its split of answers, most disagreement first (then most answers).</summary>
    public static IReadOnlyList<ImageAgreement> PerImage(IReadOnlyList<PracticeImageFacts> images, IReadOnlyList<PracticeVote> votes)
    {
        var byItem = votes.ToLookup(v => v.ItemId);
        return images
            .Select(i => new ImageAgreement(i.ItemId, byItem[i.ItemId].Count(v => v.Label == Label.Normal), byItem[i.ItemId].Count(v => v.Label == Label.Pneumonia), i.Gold, i.Current))
            .OrderByDescending(a => a.Disagreement).ThenByDescending(a => a.Total).ThenBy(a => a.ItemId)
            .ToList();
    }
}

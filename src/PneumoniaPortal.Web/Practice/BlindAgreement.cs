using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Practice;

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

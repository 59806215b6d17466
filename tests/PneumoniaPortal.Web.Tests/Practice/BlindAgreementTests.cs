using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Web.Practice;

namespace PneumoniaPortal.Web.Tests.Practice;

/// <summary>The agreement math on hand-made answers: gold agreement, leave-one-out consensus (ties included), disagreement ranking.</summary>
public sealed class BlindAgreementTests
{
    const Label N = Label.Normal, P = Label.Pneumonia;

    // Items 1 and 2 are gold standard (NORMAL, PNEUMONIA); 3 and 4 doubtful, labelled NORMAL now.
    static readonly PracticeImageFacts[] Images = [new(1, N, N), new(2, P, P), new(3, null, N), new(4, null, N)];

    static PracticeVote[] Votes(params (int Item, string User, Label Label)[] votes) => votes.Select(v => new PracticeVote(v.Item, v.User, v.Label)).ToArray();

    static StudentAgreement Of(IReadOnlyList<StudentAgreement> all, string user) => all.Single(s => s.UserId == user);

    [Fact]
    public void Gold_agreement_counts_only_the_gold_images_a_student_answered()
    {
        var all = BlindAgreement.PerStudent(Images, Votes((1, "ann", N), (2, "ann", N), (3, "ann", P), (1, "bob", N)));

        var ann = Of(all, "ann");
        Assert.Equal((3, 2, 1), (ann.Answered, ann.GoldAnswered, ann.GoldAgreed));
        Assert.Equal(0.5, ann.Gold);
        Assert.Equal(1.0, Of(all, "bob").Gold);
    }

    [Fact]
    public void A_student_without_gold_answers_has_no_gold_agreement_rather_than_zero()
    {
        var all = BlindAgreement.PerStudent(Images, Votes((3, "cat", P)));
        Assert.Null(Of(all, "cat").Gold);
    }

    [Fact]
    public void Consensus_is_the_majority_of_the_other_students_so_a_student_never_agrees_with_themself()
    {
        // Item 3: ann, bob NORMAL; cat PNEUMONIA. Item 4: everyone PNEUMONIA.
        var all = BlindAgreement.PerStudent(Images, Votes(
            (3, "ann", N), (3, "bob", N), (3, "cat", P),
            (4, "ann", P), (4, "bob", P), (4, "cat", P)));

        // ann on 3: the others are bob N, cat P: a tie, no consensus. On 4: the others say P, she agrees.
        var ann = Of(all, "ann");
        Assert.Equal((1, 1, 1), (ann.ConsensusCompared, ann.ConsensusAgreed, ann.NoConsensus));
        Assert.Equal(1.0, ann.Consensus);
        // cat on 3: the others say N (2 to 0), she disagrees; on 4 she agrees.
        var cat = Of(all, "cat");
        Assert.Equal((2, 1, 0), (cat.ConsensusCompared, cat.ConsensusAgreed, cat.NoConsensus));
        Assert.Equal(0.5, cat.Consensus);
    }

    [Fact]
    public void An_image_only_one_student_answered_gives_no_consensus_and_no_agreement()
    {
        var dan = Of(BlindAgreement.PerStudent(Images, Votes((4, "dan", P))), "dan");
        Assert.Equal((0, 1), (dan.ConsensusCompared, dan.NoConsensus));
        Assert.Null(dan.Consensus);
    }

    [Fact]
    public void Four_students_split_two_to_two_each_see_a_one_to_two_majority_against_them()
    {
        var all = BlindAgreement.PerStudent(Images, Votes((3, "a", N), (3, "b", N), (3, "c", P), (3, "d", P)));
        Assert.All(all, s => Assert.Equal((1, 0, 0), (s.ConsensusCompared, s.ConsensusAgreed, s.NoConsensus)));
    }

    [Fact]
    public void Images_rank_by_disagreement_an_even_split_or_a_majority_against_the_label_first()
    {
        var perImage = BlindAgreement.PerImage(Images, Votes(
            (1, "a", N), (1, "b", N), (1, "c", N),          // all agree with NORMAL: 0
            (2, "a", P), (2, "b", N), (2, "c", P),          // 1 of 3 against PNEUMONIA: split 2/3, against 1/3
            (3, "a", P), (3, "b", P), (3, "c", P), (3, "d", P), // all against NORMAL: 1
            (4, "a", N), (4, "b", P)));                     // 50/50: 1

        Assert.Equal([3, 4, 2, 1], perImage.Select(i => i.ItemId));
        var split = perImage.Single(i => i.ItemId == 4);
        Assert.Equal((1, 1, (Label?)null, 1.0), (split.Normal, split.Pneumonia, split.Majority, split.Disagreement));
        var two = perImage.Single(i => i.ItemId == 2);
        Assert.Equal(P, two.Majority);
        Assert.Equal(2.0 / 3, two.Disagreement, 10);
        Assert.Equal(1.0 / 3, two.AgainstLabel, 10);
        Assert.Equal(0, perImage.Single(i => i.ItemId == 1).Disagreement);
    }

    [Fact]
    public void An_image_nobody_answered_has_no_majority_and_no_disagreement()
    {
        var none = BlindAgreement.PerImage(Images, []).Single(i => i.ItemId == 3);
        Assert.Equal((0, (Label?)null, 0.0), (none.Total, none.Majority, none.Disagreement));
    }
}

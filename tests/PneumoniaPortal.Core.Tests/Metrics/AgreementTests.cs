using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Core.Tests.Metrics;

public class AgreementTests
{
    [Fact]
    public void Cohens_kappa_of_the_textbook_two_by_two_table_is_0_4()
    {
        // 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 (the worked example in Wikipedia's "Cohen's kappa"):
        // p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
        int[] a = [.. Enumerable.Repeat(1, 20), .. Enumerable.Repeat(1, 5), .. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(0, 15)];
        int[] b = [.. Enumerable.Repeat(1, 20), .. Enumerable.Repeat(0, 5), .. Enumerable.Repeat(1, 10), .. Enumerable.Repeat(0, 15)];
        var agreement = Agreement.Cohen(a, b);
        Assert.Equal(0.7, agreement.Observed, 12);
        Assert.Equal(0.5, agreement.Chance, 12);
        Assert.Equal(0.4, agreement.Kappa, 12);
        Assert.InRange(agreement.Kappa, agreement.Lower, agreement.Upper);
        Assert.True(agreement.Lower > 0 && agreement.Upper < 0.8, $"{agreement.Lower} {agreement.Upper}");
        // Seeded: the same answers give the same interval.
        Assert.Equal(agreement, Agreement.Cohen(a, b));
    }

    [Fact]
    public void Fleiss_kappa_of_the_textbook_table_of_14_readers_is_0_210()
    {
        // Fleiss (1971) as worked in Wikipedia's "Fleiss' kappa": 10 items, 14 readers, 5 categories;
        // P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210 (0.20993 unrounded).
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var agreement = Agreement.Fleiss(counts);
        Assert.Equal(0.378022, agreement.Observed, 6);
        Assert.Equal(0.212755, agreement.Chance, 6);
        Assert.Equal(0.209931, agreement.Kappa, 6);
        Assert.InRange(agreement.Kappa, agreement.Lower, agreement.Upper);
    }

    [Fact]
    public void Perfect_agreement_is_1_chance_level_agreement_is_0_and_a_single_label_everywhere_is_undefined()
    {
        Assert.Equal(1, Agreement.Cohen([0, 1, 1, 0], [0, 1, 1, 0]).Kappa, 12);
        // Independent-looking readers: half agree, chance also gives half.
        Assert.Equal(0, Agreement.Cohen([0, 0, 1, 1], [0, 1, 0, 1]).Kappa, 12);
        var constant = Agreement.Cohen([1, 1, 1], [1, 1, 1]);
        Assert.False(constant.Defined);
        Assert.True(double.IsNaN(constant.Lower));
    }

    [Fact]
    public void Mismatched_or_out_of_range_answers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Agreement.Cohen([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => Agreement.Cohen([0, 2], [0, 1]));
        Assert.Throws<ArgumentException>(() => Agreement.Fleiss([[1, 1], [2, 1]]));
        Assert.Throws<ArgumentException>(() => Agreement.Fleiss([[1, 0]]));
    }
}

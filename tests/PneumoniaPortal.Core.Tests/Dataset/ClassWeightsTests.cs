using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Core.Tests.Dataset;

public class ClassWeightsTests
{
    [Fact]
    public void The_Kaggle_train_split_weighs_NORMAL_about_three_times_PNEUMONIA()
    {
        var (normal, pneumonia) = ClassWeights.Balanced(1341, 3875);
        Assert.Equal(5216.0 / (2 * 1341), normal, 12);
        Assert.Equal(5216.0 / (2 * 3875), pneumonia, 12);
        Assert.Equal(1.9448, normal, 4);
        Assert.Equal(0.6730, pneumonia, 4);
    }

    [Fact]
    public void Balanced_classes_both_weigh_one()
    {
        Assert.Equal((1.0, 1.0), ClassWeights.Balanced(80, 80));
    }

    [Fact]
    public void Weighted_counts_of_the_two_classes_come_out_equal()
    {
        var (normal, pneumonia) = ClassWeights.Balanced(234, 390);
        Assert.Equal(234 * normal, 390 * pneumonia, 9);
    }

    [Fact]
    public void A_missing_class_is_refused_with_the_counts_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassWeights.Balanced(0, 12));
        Assert.Contains("0 NORMAL and 12 PNEUMONIA", error.Message);
        Assert.ThrowsAny<ArgumentException>(() => ClassWeights.Balanced(-1, 5));
    }
}

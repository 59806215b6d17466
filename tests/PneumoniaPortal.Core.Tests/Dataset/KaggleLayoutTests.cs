using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Core.Tests.Dataset;

public class KaggleLayoutTests
{
    [Theory]
    [InlineData("person1_bacteria_1.jpeg", Label.Pneumonia, "bacteria")]
    [InlineData("person1_virus_6.jpeg", Label.Pneumonia, "virus")]
    [InlineData("IM-0115-0001.jpeg", Label.Normal, "normal")]
    [InlineData("NORMAL2-IM-1427-0001.jpeg", Label.Normal, "normal")]
    [InlineData("scan.png", Label.Pneumonia, "unknown")]
    [InlineData("train/PNEUMONIA/Person9_BACTERIA_41.jpeg", Label.Pneumonia, "bacteria")]
    public void The_subtype_is_read_from_the_file_name(string name, Label label, string subtype)
    {
        Assert.Equal(subtype, KaggleLayout.SubtypeOf(name, label));
    }

    [Theory]
    [InlineData("train/NORMAL/a.jpeg", true, Split.Train, Label.Normal)]
    [InlineData("Test/pneumonia/b.png", true, Split.Test, Label.Pneumonia)]
    [InlineData("VAL/Normal/c.jpg", true, Split.Val, Label.Normal)]
    [InlineData("train/NORMAL/deeper/a.jpeg", false, default(Split), default(Label))]
    [InlineData("train/a.jpeg", false, default(Split), default(Label))]
    [InlineData("validation/NORMAL/a.jpeg", false, default(Split), default(Label))]
    public void Only_split_slash_label_slash_file_paths_are_in_the_layout(string path, bool inLayout, Split split, Label label)
    {
        Assert.Equal(inLayout, KaggleLayout.TryParseImagePath(path, out var s, out var l));
        if (inLayout) Assert.Equal((split, label), (s, l));
    }

    [Theory]
    [InlineData("__MACOSX/chest_xray/train/NORMAL/._a.jpeg", true)]
    [InlineData("chest_xray/.DS_Store", true)]
    [InlineData("train/NORMAL/._a.jpeg", true)]
    [InlineData("train/NORMAL/Thumbs.db", true)]
    [InlineData("train/NORMAL/a.jpeg", false)]
    public void Operating_system_litter_is_junk(string path, bool junk)
    {
        Assert.Equal(junk, KaggleLayout.IsJunk(path));
    }
}

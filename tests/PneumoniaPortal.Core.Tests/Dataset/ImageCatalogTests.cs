using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.Core.Tests.Dataset;

public class ImageCatalogTests
{
    static ImageRecord Image(string path, Label label = Label.Normal, string md5 = "00") =>
        new(path, Split.Train, label, "normal", 224, 224, md5, 10);

    [Fact]
    public void Images_are_sorted_by_path_in_ordinal_order()
    {
        var catalog = ImageCatalog.FromRecords([Image("train/NORMAL/b.jpeg"), Image("train/NORMAL/B.jpeg"), Image("train/NORMAL/a.jpeg")]);
        Assert.Equal(["train/NORMAL/B.jpeg", "train/NORMAL/a.jpeg", "train/NORMAL/b.jpeg"], catalog.Images.Select(i => i.RelativePath));
    }

    [Fact]
    public void The_same_image_listed_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageCatalog.FromRecords([Image("train/NORMAL/a.jpeg"), Image("train/NORMAL/a.jpeg")]));
        Assert.Contains("train/NORMAL/a.jpeg", error.Message);
    }

    [Fact]
    public void The_fingerprint_depends_on_paths_md5s_and_labels_but_not_on_order_or_location()
    {
        ImageRecord[] records = [Image("train/NORMAL/a.jpeg", md5: "11"), Image("train/PNEUMONIA/b.jpeg", Label.Pneumonia, "22")];
        var first = new ImageCatalog("/data/one", "", false, records);
        var same = new ImageCatalog("/elsewhere/x.zip", "chest_xray", true, records.Reverse());
        var relabelled = ImageCatalog.FromRecords([records[0] with { Label = Label.Pneumonia }, records[1]]);
        var edited = ImageCatalog.FromRecords([records[0] with { Md5 = "33" }, records[1]]);
        var renamed = ImageCatalog.FromRecords([records[0] with { RelativePath = "train/NORMAL/c.jpeg" }, records[1]]);

        Assert.Equal(first.Fingerprint, same.Fingerprint);
        Assert.Matches("^[0-9a-f]{64}$", first.Fingerprint);
        Assert.NotEqual(first.Fingerprint, relabelled.Fingerprint);
        Assert.NotEqual(first.Fingerprint, edited.Fingerprint);
        Assert.NotEqual(first.Fingerprint, renamed.Fingerprint);
    }

    [Fact]
    public void A_folder_catalog_opens_its_images_from_the_layout_root()
    {
        var source = TestData.NewTempDirectory("catalog-folder");
        var file = Path.Combine(source, "chest_xray", "train", "NORMAL", "a.jpeg");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, [1, 2, 3]);
        var catalog = new ImageCatalog(source, "chest_xray", false, [Image("train/NORMAL/a.jpeg")]);

        using var stream = catalog.OpenRead(catalog.Images[0]);
        Assert.Equal(3, stream.Length);
        Assert.Equal([1, 2, 3], catalog.ReadAllBytes(catalog.Images[0]));
        Assert.Equal(file, catalog.FullPathOf(catalog.Images[0]));
        Assert.Same(catalog.Images[0], catalog.Find("train/NORMAL/a.jpeg"));
        Assert.Null(catalog.Find("train/NORMAL/missing.jpeg"));
    }
}

using System.Security.Cryptography;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Tests.Shared;
using SkiaSharp;

namespace PneumoniaPortal.Imaging.Tests;

public class DatasetImporterTests
{
    static readonly byte[] Png300x200 = GeneratedImages.Rgb(300, 200);
    static readonly byte[] Jpeg1000x800 = GeneratedImages.Rgb(1000, 800, SKEncodedImageFormat.Jpeg);
    static readonly byte[] GrayPng = GeneratedImages.Gray(64, 48);
    static readonly byte[] SmallJpeg = GeneratedImages.Rgb(120, 90, SKEncodedImageFormat.Jpeg);

    static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>A folder in the Kaggle layout with every kind of file the importer must cope with.</summary>
    static string MixedFolder()
    {
        var root = TestData.NewTempDirectory("import-folder");
        GeneratedImages.Write(root, "train/NORMAL/IM-0001-0001.png", Png300x200);
        GeneratedImages.Write(root, "train/NORMAL/IM-0002-0001.jpg", SmallJpeg);
        GeneratedImages.Write(root, "train/PNEUMONIA/person1_bacteria_1.jpeg", Jpeg1000x800);
        GeneratedImages.Write(root, "train/PNEUMONIA/person2_virus_2.jpeg", SmallJpeg);
        GeneratedImages.Write(root, "train/PNEUMONIA/mystery.PNG", GrayPng);
        GeneratedImages.Write(root, "test/NORMAL/gray.png", GrayPng);
        GeneratedImages.Write(root, "test/NORMAL/notes.txt", "remember to normalise"u8.ToArray());
        GeneratedImages.Write(root, "test/NORMAL/fake.jpeg", "I am text, not a JPEG"u8.ToArray());
        GeneratedImages.Write(root, "test/NORMAL/empty.jpeg", []);
        GeneratedImages.Write(root, "test/PNEUMONIA/person3_bacteria_9.jpeg", GeneratedImages.TruncatedJpeg());
        GeneratedImages.Write(root, "test/PNEUMONIA/.DS_Store", [0, 0, 0, 1]);
        GeneratedImages.Write(root, "test/PNEUMONIA/._person3_bacteria_9.jpeg", [0, 5, 22, 7]);
        GeneratedImages.Write(root, "README.md", "# my data"u8.ToArray());
        GeneratedImages.Write(root, "stray.png", GrayPng);
        GeneratedImages.Write(root, "train/NORMAL/deeper/IM-0003-0001.png", Png300x200);
        return root;
    }

    [Fact]
    public void A_folder_in_the_Kaggle_layout_yields_one_record_per_readable_image()
    {
        var root = MixedFolder();
        using var catalog = DatasetImporter.Open(root);

        Assert.Equal(root, catalog.Source);
        Assert.Equal("", catalog.LayoutRoot);
        Assert.False(catalog.IsZip);
        Assert.Equal(
            ["test/NORMAL/gray.png", "train/NORMAL/IM-0001-0001.png", "train/NORMAL/IM-0002-0001.jpg",
             "train/PNEUMONIA/mystery.PNG", "train/PNEUMONIA/person1_bacteria_1.jpeg", "train/PNEUMONIA/person2_virus_2.jpeg"],
            catalog.Images.Select(i => i.RelativePath));

        var png = catalog.Find("train/NORMAL/IM-0001-0001.png")!;
        Assert.Equal(new ImageRecord("train/NORMAL/IM-0001-0001.png", Split.Train, Label.Normal, "normal", 300, 200,
            Md5(Png300x200), Png300x200.Length), png);
        var jpeg = catalog.Find("train/PNEUMONIA/person1_bacteria_1.jpeg")!;
        Assert.Equal((1000, 800, "bacteria", Label.Pneumonia), (jpeg.Width, jpeg.Height, jpeg.Subtype, jpeg.Label));
        Assert.Equal(Md5(Jpeg1000x800), jpeg.Md5);
        Assert.Equal("virus", catalog.Find("train/PNEUMONIA/person2_virus_2.jpeg")!.Subtype);
        Assert.Equal("unknown", catalog.Find("train/PNEUMONIA/mystery.PNG")!.Subtype);
        var gray = catalog.Find("test/NORMAL/gray.png")!;
        Assert.Equal((Split.Test, Label.Normal, "normal", 64, 48), (gray.Split, gray.Label, gray.Subtype, gray.Width, gray.Height));
    }

    [Fact]
    public void Unusable_files_are_reported_by_name_with_a_reason_and_junk_is_ignored_silently()
    {
        using var catalog = DatasetImporter.Open(MixedFolder());
        var problems = catalog.Problems.ToDictionary(p => p.RelativePath, p => p.Message);

        Assert.Contains("not an image file (.txt)", problems["test/NORMAL/notes.txt"]);
        Assert.Contains("not a readable JPEG or PNG image", problems["test/NORMAL/fake.jpeg"]);
        Assert.Contains("empty file", problems["test/NORMAL/empty.jpeg"]);
        Assert.Contains("truncated", problems["test/PNEUMONIA/person3_bacteria_9.jpeg"]);
        // The stray image and the deeper folder are outside the layout: one summary, not one problem per file.
        // README.md beside the splits documents the data set and is not mentioned.
        var outside = Assert.Single(catalog.Problems, p => p.Message.Contains("outside"));
        Assert.StartsWith("2 file(s) outside", outside.Message);
        Assert.Contains("stray.png", outside.Message);
        Assert.Contains("train/NORMAL/deeper/IM-0003-0001.png", outside.Message);
        Assert.DoesNotContain("README", outside.Message);
        Assert.Equal(5, catalog.Problems.Count);
        Assert.DoesNotContain(catalog.Problems, p => p.RelativePath.Contains("DS_Store") || p.RelativePath.Contains("._"));
    }

    [Fact]
    public void Folder_names_are_matched_whatever_their_case()
    {
        var root = TestData.NewTempDirectory("import-case");
        GeneratedImages.Write(root, "data/Train/normal/a.png", Png300x200);
        GeneratedImages.Write(root, "data/TEST/Pneumonia/person1_virus_1.png", Png300x200);
        GeneratedImages.Write(root, "data/val/NORMAL/b.png", GrayPng);

        using var catalog = DatasetImporter.Open(root);

        Assert.Equal("data", catalog.LayoutRoot);
        Assert.Equal([Split.Test, Split.Train, Split.Val], catalog.Images.Select(i => i.Split));
        Assert.Equal("TEST/Pneumonia/person1_virus_1.png", catalog.Images[0].RelativePath);
        using var stream = catalog.OpenRead(catalog.Images[0]);
        Assert.Equal((300, 200), ImageDecoder.ProbeSize(stream));
    }

    /// <summary>The Kaggle download: chest_xray/ at the top, a nested chest_xray/chest_xray/ copy and macOS junk.</summary>
    static string KaggleZip(string directory)
    {
        var entries = new List<(string, byte[])>
        {
            ("chest_xray/", []),
            ("chest_xray/train/NORMAL/IM-0115-0001.jpeg", SmallJpeg),
            ("chest_xray/train/PNEUMONIA/person1_bacteria_1.jpeg", Jpeg1000x800),
            ("chest_xray/train/PNEUMONIA/person1_virus_6.jpeg", Png300x200),
            ("chest_xray/test/NORMAL/IM-0001-0001.jpeg", SmallJpeg),
            ("chest_xray/test/PNEUMONIA/person2_bacteria_3.jpeg", GeneratedImages.TruncatedJpeg()),
            ("chest_xray/val/NORMAL/NORMAL2-IM-1427-0001.jpeg", GrayPng),
            ("chest_xray/.DS_Store", [1, 2, 3]),
            ("chest_xray/chest_xray/train/NORMAL/IM-0115-0001.jpeg", SmallJpeg),
            ("chest_xray/chest_xray/test/PNEUMONIA/person2_bacteria_3.jpeg", SmallJpeg),
            ("chest_xray/chest_xray/.DS_Store", [1, 2, 3]),
            ("__MACOSX/chest_xray/train/NORMAL/._IM-0115-0001.jpeg", [0, 5, 22, 7]),
            ("__MACOSX/chest_xray/chest_xray/test/NORMAL/._IM-0001-0001.jpeg", [0, 5, 22, 7]),
        };
        return GeneratedImages.Zip(directory, "archive.zip", entries);
    }

    [Fact]
    public void The_Kaggle_zip_is_read_from_its_chest_xray_folder_ignoring_the_nested_copy_and_macOS_junk()
    {
        var zip = KaggleZip(TestData.NewTempDirectory("import-kaggle-zip"));
        using var catalog = DatasetImporter.Open(zip);

        Assert.True(catalog.IsZip);
        Assert.Equal(zip, catalog.Source);
        Assert.Equal("chest_xray", catalog.LayoutRoot);
        Assert.Equal(
            ["test/NORMAL/IM-0001-0001.jpeg", "train/NORMAL/IM-0115-0001.jpeg", "train/PNEUMONIA/person1_bacteria_1.jpeg",
             "train/PNEUMONIA/person1_virus_6.jpeg", "val/NORMAL/NORMAL2-IM-1427-0001.jpeg"],
            catalog.Images.Select(i => i.RelativePath));
        var bacteria = catalog.Find("train/PNEUMONIA/person1_bacteria_1.jpeg")!;
        Assert.Equal((1000, 800, "bacteria", Md5(Jpeg1000x800), (long)Jpeg1000x800.Length),
            (bacteria.Width, bacteria.Height, bacteria.Subtype, bacteria.Md5, bacteria.Bytes));
        // A PNG named .jpeg is still an image.
        Assert.Equal((300, 200, "virus"), (catalog.Images[3].Width, catalog.Images[3].Height, catalog.Images[3].Subtype));

        Assert.Equal(2, catalog.Problems.Count);
        Assert.Contains("truncated", Assert.Single(catalog.Problems, p => p.RelativePath == "test/PNEUMONIA/person2_bacteria_3.jpeg").Message);
        var outside = Assert.Single(catalog.Problems, p => p.Message.Contains("outside"));
        Assert.StartsWith("2 file(s) outside chest_xray/", outside.Message);
        Assert.Contains("chest_xray/chest_xray/", outside.Message);
    }

    [Fact]
    public void The_Mendeley_original_is_read_from_its_own_top_folder_without_a_val_split()
    {
        // Mendeley's ChestXRay2017.zip: the set one folder deeper, train and test only, and macOS litter.
        var zip = GeneratedImages.Zip(TestData.NewTempDirectory("import-mendeley"), "ChestXRay2017.zip",
        [
            ("ChestXRay2017/chest_xray/train/NORMAL/IM-0115-0001.jpeg", SmallJpeg),
            ("ChestXRay2017/chest_xray/train/PNEUMONIA/person1_bacteria_1.jpeg", Jpeg1000x800),
            ("ChestXRay2017/chest_xray/test/NORMAL/IM-0001-0001.jpeg", SmallJpeg),
            ("ChestXRay2017/chest_xray/test/PNEUMONIA/person3_virus_15.jpeg", Png300x200),
            ("ChestXRay2017/chest_xray/.DS_Store", [1, 2, 3]),
            ("__MACOSX/ChestXRay2017/chest_xray/train/NORMAL/._IM-0115-0001.jpeg", [0, 5, 22, 7]),
        ]);
        using var catalog = DatasetImporter.Open(zip);
        Assert.Equal("ChestXRay2017/chest_xray", catalog.LayoutRoot);
        Assert.Equal(4, catalog.Count);
        Assert.Empty(catalog.Problems);
        Assert.DoesNotContain(catalog.Images, i => i.Split == Split.Val);
        Assert.Equal((1000, 800), (catalog.Find("train/PNEUMONIA/person1_bacteria_1.jpeg")!.Width, catalog.Find("train/PNEUMONIA/person1_bacteria_1.jpeg")!.Height));
    }

    [Fact]
    public void Images_in_a_zip_can_be_read_back_from_many_threads_at_once()
    {
        var zip = KaggleZip(TestData.NewTempDirectory("import-zip-read"));
        using var catalog = DatasetImporter.Open(zip);

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var image = catalog.Images[i % catalog.Images.Count];
            using var stream = catalog.OpenRead(image);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(image.Md5, Md5(copy.ToArray()));
        });
    }

    [Fact]
    public void A_zip_written_with_backslashes_or_dot_slashes_is_read_and_its_images_open()
    {
        var zip = GeneratedImages.Zip(TestData.NewTempDirectory("import-backslash-zip"), "windows.zip", new List<(string, byte[])>
        {
            (@"chest_xray\train\NORMAL\IM-0001-0001.jpeg", SmallJpeg),
            (@"chest_xray\test\PNEUMONIA\person1_virus_1.png", Png300x200),
            ("./chest_xray//val/NORMAL/IM-0002-0001.png", GrayPng),
        });

        using var catalog = DatasetImporter.Open(zip);

        Assert.Equal("chest_xray", catalog.LayoutRoot);
        Assert.Equal(["test/PNEUMONIA/person1_virus_1.png", "train/NORMAL/IM-0001-0001.jpeg", "val/NORMAL/IM-0002-0001.png"],
            catalog.Images.Select(i => i.RelativePath));
        Assert.Equal(Png300x200, catalog.ReadAllBytes(catalog.Images[0]));
        Assert.Equal(GrayPng, catalog.ReadAllBytes(catalog.Images[2]));
    }

    [Fact]
    public void A_zip_entry_that_climbs_out_of_the_archive_is_refused_and_never_written()
    {
        var directory = TestData.NewTempDirectory("import-evil-zip");
        var inner = Directory.CreateDirectory(Path.Combine(directory, "inner")).FullName;
        var zip = GeneratedImages.Zip(inner, "evil.zip", new List<(string, byte[])>
        {
            ("train/NORMAL/IM-0001-0001.jpeg", SmallJpeg),
            ("../evil.jpeg", SmallJpeg),
            ("train/NORMAL/../../../evil2.jpeg", SmallJpeg),
        });

        using var catalog = DatasetImporter.Open(zip);

        Assert.Equal("train/NORMAL/IM-0001-0001.jpeg", Assert.Single(catalog.Images).RelativePath);
        Assert.Contains("refused", Assert.Single(catalog.Problems, p => p.RelativePath == "../evil.jpeg").Message);
        Assert.Contains("refused", Assert.Single(catalog.Problems, p => p.RelativePath == "train/NORMAL/../../../evil2.jpeg").Message);
        Assert.Equal(["evil.zip"], Directory.GetFiles(inner).Select(Path.GetFileName));
        Assert.Equal(["inner"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void The_same_images_in_a_folder_and_in_a_zip_have_the_same_fingerprint()
    {
        var directory = TestData.NewTempDirectory("import-fingerprint");
        var files = new (string Name, byte[] Bytes)[]
        {
            ("train/NORMAL/a.jpeg", SmallJpeg), ("train/PNEUMONIA/person1_virus_1.jpeg", Png300x200),
            ("test/NORMAL/b.png", GrayPng),
        };
        var folder = Path.Combine(directory, "folder");
        foreach (var (name, bytes) in files) GeneratedImages.Write(folder, name, bytes);
        var zip = GeneratedImages.Zip(directory, "same.zip", files.Select(f => ("chest_xray/" + f.Name, f.Bytes)));

        using var fromFolder = DatasetImporter.Open(folder);
        using var fromZip = DatasetImporter.Open(zip);

        Assert.Equal(fromFolder.Images, fromZip.Images);
        Assert.Equal(fromFolder.Fingerprint, fromZip.Fingerprint);
        Assert.Matches("^[0-9a-f]{64}$", fromFolder.Fingerprint);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_explained()
    {
        var missing = Path.Combine(TestData.NewTempDirectory("import-missing"), "nowhere");
        var error = Assert.Throws<DatasetLayoutException>(() => DatasetImporter.Open(missing));
        Assert.Contains("does not exist", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_explained()
    {
        var fake = Path.Combine(TestData.NewTempDirectory("import-fake-zip"), "chest_xray.zip");
        File.WriteAllText(fake, "this is a text file with a zip name");
        var error = Assert.Throws<DatasetLayoutException>(() => DatasetImporter.Open(fake));
        Assert.Contains("not a readable zip archive", error.Message);
    }

    [Fact]
    public void An_empty_folder_has_no_chest_xray_layout()
    {
        var empty = TestData.NewTempDirectory("import-empty");
        var error = Assert.Throws<DatasetLayoutException>(() => DatasetImporter.Open(empty));
        Assert.StartsWith($"No chest_xray layout found in {empty}: expected folders train/, test/ or val/ each holding NORMAL/ and PNEUMONIA/", error.Message);
    }

    [Fact]
    public void A_zip_without_the_layout_is_explained()
    {
        var zip = GeneratedImages.Zip(TestData.NewTempDirectory("import-flat-zip"), "flat.zip",
            new List<(string, byte[])> { ("pictures/a.jpeg", SmallJpeg), ("b.jpeg", SmallJpeg) });
        var error = Assert.Throws<DatasetLayoutException>(() => DatasetImporter.Open(zip));
        Assert.Contains("No chest_xray layout found", error.Message);
    }

    [Fact]
    public void Choosing_a_split_folder_instead_of_the_one_above_it_is_explained()
    {
        var root = TestData.NewTempDirectory("import-split-only");
        GeneratedImages.Write(root, "NORMAL/a.png", Png300x200);
        GeneratedImages.Write(root, "PNEUMONIA/b.png", Png300x200);
        var error = Assert.Throws<DatasetLayoutException>(() => DatasetImporter.Open(root));
        Assert.Contains("choose the folder above", error.Message);
    }

    [Fact]
    public void Progress_is_reported_up_to_completion_and_cancellation_stops_the_import()
    {
        var root = MixedFolder();
        var reports = new List<double>();
        using (DatasetImporter.Open(root, new SynchronousProgress(reports))) { }
        Assert.Equal(1.0, reports[^1]);
        Assert.All(reports, r => Assert.InRange(r, 0, 1));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => DatasetImporter.Open(root, ct: cancelled.Token));
    }

    sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) { lock (reports) reports.Add(value); }
    }
}

using System.Text.Json;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.Cli.Tests;

/// <summary>`dataset resplit`: a folder that names its source, shares its files, and reads as a data set.</summary>
public sealed class ResplitTests
{
    [Fact]
    public void Resplit_writes_a_data_set_the_other_commands_read_with_the_new_counts_and_the_source_files()
    {
        var outDir = TestData.NewTempDirectory("resplit");
        try
        {
            var (exit, text) = Cli.Run("dataset", "resplit", "--data", TestData.SampleRoot, "--train", "0.6", "--val", "0.2", "--test", "0.2", "--seed", "4", "--out", outDir);
            Assert.True(exit == 0, text);
            Assert.Contains("changed split", text);
            var description = DerivedDataset.Describe(outDir);
            Assert.Equal(Path.GetFullPath(TestData.SampleRoot), description.Source);
            // Nothing copied: the folder holds the description and the manifest only.
            Assert.Equal([DerivedDataset.DescriptionFile, DerivedDataset.ManifestFile], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());

            var (statsExit, json) = Cli.Run("dataset", "stats", "--data", outDir, "--json");
            Assert.True(statsExit == 0, json);
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(820, doc.RootElement.GetProperty("totalImages").GetInt32());
            using var catalog = DatasetImporter.Open(outDir);
            var val = catalog.Images.Count(i => i.Split == Core.Dataset.Split.Val);
            Assert.InRange(val, 820 * 0.2 - 4, 820 * 0.2 + 4);
            Assert.Equal(description.Counts.Where(c => c.Split == Core.Dataset.Split.Val).Sum(c => c.After), val);
            // The bytes come from the source folder.
            var first = catalog.Images[0];
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.SampleRoot, first.RelativePath)), catalog.ReadAllBytes(first));

            var (badExit, bad) = Cli.Run("dataset", "resplit", "--data", TestData.SampleRoot, "--train", "0.7", "--val", "0.2", "--test", "0.2", "--out", outDir);
            Assert.Equal(2, badExit);
            Assert.Contains("add up to 1", bad);
            // Never over an earlier set (runs trained on it keep their splits), and never from one.
            var again = Cli.Run("dataset", "resplit", "--data", TestData.SampleRoot, "--train", "0.6", "--val", "0.2", "--test", "0.2", "--out", outDir);
            Assert.Contains("is not empty", again.Output);
            var nested = TestData.NewTempDirectory("resplit-nested");
            try
            {
                Assert.Equal(0, Cli.Run("dataset", "resplit", "--data", TestData.SampleRoot, "--train", "0.6", "--val", "0.2", "--test", "0.2", "--seed", "9", "--out", nested).Exit);
                File.WriteAllText(Path.Combine(nested, DerivedDataset.DescriptionFile),
                    File.ReadAllText(Path.Combine(nested, DerivedDataset.DescriptionFile)).Replace(JsonSerializer.Serialize(Path.GetFullPath(TestData.SampleRoot)).Trim('"'), outDir));
                Assert.Contains("made from another derived data set", Cli.Run("dataset", "stats", "--data", nested).Output);
            }
            finally
            {
                Directory.Delete(nested, recursive: true);
            }
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void A_kaggle_folder_with_a_stray_dataset_json_is_still_read_as_a_kaggle_folder()
    {
        var source = TestData.CopyOfSample("stray-json");
        try
        {
            File.WriteAllText(Path.Combine(source, DerivedDataset.DescriptionFile), "{ not json");
            var (exit, json) = Cli.Run("dataset", "stats", "--data", source, "--json");
            Assert.True(exit == 0, json);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [Fact]
    public void A_derived_data_set_whose_source_changed_or_whose_manifest_names_a_missing_file_is_refused_in_words()
    {
        var source = TestData.CopyOfSample("resplit-source");
        var outDir = TestData.NewTempDirectory("resplit-out");
        try
        {
            Assert.Equal(0, Cli.Run("dataset", "resplit", "--data", source, "--train", "0.7", "--val", "0.15", "--test", "0.15", "--out", outDir).Exit);
            var manifest = Path.Combine(outDir, DerivedDataset.ManifestFile);
            var original = File.ReadAllText(manifest);
            File.WriteAllText(manifest, original.Replace("train/NORMAL/", "train/NORMAL/missing-", StringComparison.Ordinal));
            Assert.Contains("has no train/NORMAL/missing-", Cli.Run("dataset", "stats", "--data", outDir).Output);
            File.WriteAllText(manifest, original);

            var victim = Directory.GetFiles(Path.Combine(source, "test", "NORMAL"))[0];
            File.Delete(victim);
            var (exit, text) = Cli.Run("dataset", "stats", "--data", outDir);
            Assert.Equal(2, exit);
            Assert.Contains("no longer holds the files this data set was made from", text);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
            Directory.Delete(source, recursive: true);
        }
    }
}

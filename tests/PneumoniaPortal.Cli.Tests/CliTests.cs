using System.Text.Json;
using PneumoniaPortal.Tests.Shared;

namespace PneumoniaPortal.Cli.Tests;

/// <summary>Trains one tiny run on the shipped sample once; the commands that read a run share it.</summary>
public sealed class TinyRun : IDisposable
{
    public string Data { get; } = TestData.SampleRoot;
    public string RunDir { get; } = TestData.NewTempDirectory("cli-run");
    public string TrainOutput { get; }
    public int TrainExit { get; }
    /// <summary>A second run, another seed, for <c>compare</c>.</summary>
    public string OtherRunDir { get; } = TestData.NewTempDirectory("cli-run-b");

    public TinyRun()
    {
        Environment.SetEnvironmentVariable("PORTAL_CACHE", TestData.NewTempDirectory("cli-cache"));
        (TrainExit, TrainOutput) = Cli.Run("train", "--data", Data, "--preset", "cpu-default", "--set", "epochs=2", "--set", "imageSize=64",
            "--set", "batchSize=16", "--set", "seed=3", "--out", RunDir);
        Cli.Run("train", "--data", Data, "--preset", "cpu-default", "--set", "epochs=1", "--set", "imageSize=64",
            "--set", "batchSize=16", "--set", "seed=4", "--out", OtherRunDir);
    }

    public void Dispose()
    {
        Directory.Delete(RunDir, recursive: true);
        Directory.Delete(OtherRunDir, recursive: true);
    }
}

static class Cli
{
    public static (int Exit, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        int exit;
        try
        {
            exit = Commands.RunAsync(args, output).GetAwaiter().GetResult();
        }
        catch (CliException e)
        {
            output.WriteLine($"error: {e.Message}");
            exit = 2;
        }
        return (exit, output.ToString());
    }
}

public sealed class CliTests(TinyRun run) : IClassFixture<TinyRun>
{
    [Fact]
    public void Dataset_stats_prints_counts_and_json_for_scripts()
    {
        var (exit, text) = Cli.Run("dataset", "stats", "--data", run.Data);
        Assert.Equal(0, exit);
        Assert.Contains("NORMAL", text);

        var (jsonExit, json) = Cli.Run("dataset", "stats", "--data", run.Data, "--json");
        Assert.Equal(0, jsonExit);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(820, doc.RootElement.GetProperty("totalImages").GetInt32());
    }

    [Fact]
    public void Train_writes_run_json_with_history_and_test_metrics_plus_checkpoint_and_predictions()
    {
        Assert.True(run.TrainExit == 0, run.TrainOutput);
        Assert.Contains("epoch   2", run.TrainOutput);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunDir, "run.json")));
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("history").GetArrayLength());
        Assert.Equal(64, root.GetProperty("config").GetProperty("architecture").GetProperty("inputSize").GetInt32());
        Assert.Equal(140, root.GetProperty("test").GetProperty("evaluation").GetProperty("confusionMatrix").GetProperty("total").GetInt32());
        Assert.True(File.Exists(Path.Combine(run.RunDir, "last.pt")));
        Assert.True(File.Exists(Path.Combine(run.RunDir, "predictions.csv")));
    }

    [Fact]
    public void Evaluate_json_has_the_documented_fields_and_a_2x2_confusion_matrix()
    {
        var (exit, json) = Cli.Run("evaluate", "--run", run.RunDir, "--data", run.Data, "--split", "test", "--json");
        Assert.True(exit == 0, json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (var key in new[] { "accuracy", "auc", "sensitivity", "specificity", "precision", "f1" })
            Assert.InRange(root.GetProperty(key).GetDouble(), 0, 1);
        var matrix = root.GetProperty("confusionMatrix");
        Assert.Equal(2, matrix.GetArrayLength());
        // Rows are the true classes: the sample's test split has 70 NORMAL and 70 PNEUMONIA images.
        Assert.Equal(70, matrix[0][0].GetInt32() + matrix[0][1].GetInt32());
        Assert.Equal(70, matrix[1][0].GetInt32() + matrix[1][1].GetInt32());
        // The same figures as the run's own test report.
        using var runJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunDir, "run.json")));
        Assert.Equal(runJson.RootElement.GetProperty("test").GetProperty("evaluation").GetProperty("accuracy").GetDouble(),
            root.GetProperty("accuracy").GetDouble(), 6);
        // Each figure with its 95% interval (stratified bootstrap), and the calibration of the probabilities.
        var intervals = root.GetProperty("intervals");
        foreach (var key in new[] { "accuracy", "auc", "sensitivity", "specificity", "precision", "f1" })
        {
            var pair = intervals.GetProperty(key);
            Assert.Equal(2, pair.GetArrayLength());
            Assert.InRange(root.GetProperty(key).GetDouble(), pair[0].GetDouble() - 1e-9, pair[1].GetDouble() + 1e-9);
        }
        var calibration = root.GetProperty("calibration");
        Assert.InRange(calibration.GetProperty("ece").GetDouble(), 0, 1);
        Assert.InRange(calibration.GetProperty("brier").GetDouble(), 0, 1);
        Assert.Equal(140, calibration.GetProperty("bins").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        // The same seed, the same intervals: a script can quote them.
        using var again = JsonDocument.Parse(Cli.Run("evaluate", "--run", run.RunDir, "--data", run.Data, "--split", "test", "--json").Output);
        Assert.Equal(intervals.GetRawText(), again.RootElement.GetProperty("intervals").GetRawText());
        Assert.Matches(@"AUC \d\.\d{3} \(\d\.\d{3}-\d\.\d{3}\)", Cli.Run("evaluate", "--run", run.RunDir, "--data", run.Data).Output);
    }

    [Fact]
    public void Compare_says_how_sure_the_difference_is_and_gives_scripts_the_numbers()
    {
        var (exit, json) = Cli.Run("compare", "--run", run.RunDir, "--run", run.OtherRunDir, "--data", run.Data, "--json");
        Assert.True(exit == 0, json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(140, root.GetProperty("images").GetInt32());
        var auc = root.GetProperty("auc");
        var difference = auc.GetProperty("difference").GetDouble();
        Assert.Equal(root.GetProperty("b").GetProperty("auc").GetDouble() - root.GetProperty("a").GetProperty("auc").GetDouble(), difference, 9);
        Assert.InRange(difference, auc.GetProperty("ci")[0].GetDouble(), auc.GetProperty("ci")[1].GetDouble());
        Assert.InRange(auc.GetProperty("p").GetDouble(), 0, 1);
        var mcnemar = root.GetProperty("mcnemar");
        Assert.True(mcnemar.GetProperty("onlyA").GetInt32() + mcnemar.GetProperty("onlyB").GetInt32() + mcnemar.GetProperty("bothRight").GetInt32()
                    + mcnemar.GetProperty("bothWrong").GetInt32() == 140);
        Assert.InRange(mcnemar.GetProperty("p").GetDouble(), 0, 1);

        var (textExit, text) = Cli.Run("compare", "--run", run.RunDir, "--run", run.OtherRunDir, "--data", run.Data);
        Assert.Equal(0, textExit);
        Assert.Contains("140 test images scored by both runs", text);
        Assert.Contains("(95% CI ", text);
        Assert.Contains("McNemar p", text);
        var (oneExit, one) = Cli.Run("compare", "--run", run.RunDir, "--data", run.Data);
        Assert.Equal(2, oneExit);
        Assert.Contains("Name two runs", one);
    }

    [Fact]
    public void Predict_gives_a_probability_per_image_and_a_clear_message_for_a_corrupt_file()
    {
        var image = Directory.EnumerateFiles(Path.Combine(run.Data, "test", "PNEUMONIA")).First();
        var corrupt = Path.Combine(TestData.NewTempDirectory("corrupt"), "broken.jpeg");
        File.WriteAllBytes(corrupt, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);

        var (exit, json) = Cli.Run("predict", "--run", run.RunDir, image, corrupt, "--json");

        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(json);
        Assert.InRange(doc.RootElement[0].GetProperty("probability").GetDouble(), 0, 1);
        Assert.Contains("broken.jpeg", doc.RootElement[1].GetProperty("error").GetString());
    }

    [Fact]
    public void Activations_writes_one_mosaic_per_conv_block_and_a_grad_cam_png()
    {
        var image = Directory.EnumerateFiles(Path.Combine(run.Data, "test", "NORMAL")).First();
        var outDir = TestData.NewTempDirectory("mosaics");
        var (exit, text) = Cli.Run("activations", "--run", run.RunDir, image, "--out", outDir);
        Assert.True(exit == 0, text);
        var files = Directory.GetFiles(outDir).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["01-block1.png", "02-block2.png", "03-block3.png", "04-block4.png", "05-block5.png", "gradcam.png"], files);
        foreach (var f in Directory.GetFiles(outDir))
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(f)[..4]);
    }

    [Fact]
    public void Activations_with_sanity_add_the_random_networks_grad_cam_and_the_rank_correlation()
    {
        var image = Directory.EnumerateFiles(Path.Combine(run.Data, "test", "PNEUMONIA")).First();
        var outDir = TestData.NewTempDirectory("sanity");
        var (exit, text) = Cli.Run("activations", "--run", run.RunDir, image, "--out", outDir, "--sanity");
        Assert.True(exit == 0, text);
        Assert.True(File.Exists(Path.Combine(outDir, "gradcam-random.png")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(outDir, "gradcam.png")), File.ReadAllBytes(Path.Combine(outDir, "gradcam-random.png")));
        Assert.Matches(@"spearman (-?\d\.\d{3}|undefined): ", text);
        // Seeded: the same command gives the same figure.
        var (_, again) = Cli.Run("activations", "--run", run.RunDir, image, "--out", outDir, "--sanity");
        Assert.Equal(text.Split('\n').Single(l => l.StartsWith("spearman", StringComparison.Ordinal)), again.Split('\n').Single(l => l.StartsWith("spearman", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("train --data DATA --preset vgg --out X", "Unknown preset 'vgg'")]
    [InlineData("train --data DATA --preset cpu-default --set epochs=0 --out X", "Epochs must be between 1 and 500; you entered 0.")]
    [InlineData("train --data /no/such/folder --preset cpu-default --out X", "/no/such/folder")]
    [InlineData("evaluate --run /no/such/run --data DATA", "/no/such/run")]
    [InlineData("frobnicate", "Unknown command 'frobnicate'")]
    public void Bad_input_gets_a_clear_message_and_exit_code_2(string commandLine, string expected)
    {
        var args = commandLine.Replace("DATA", run.Data).Split(' ');
        var (exit, text) = Cli.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, text);
    }
}

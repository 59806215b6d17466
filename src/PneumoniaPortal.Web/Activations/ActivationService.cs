using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Imaging;
using PneumoniaPortal.Training;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Leaderboards;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Activations;

/// <summary>
/// Layer mosaics and Grad-CAM for any image of a run's data set a student may see (its visible test images, and the
/// train and validation images), for a run the viewer may see. Computes on the shared
/// <see cref="ActivationQueue"/> and caches the PNGs in the run folder, so the next request (anyone's) is a file read.
/// </summary>
public sealed partial class ActivationService(RunResultsService results, DatasetService datasets, HeldOutImages heldOut, ActivationQueue queue)
{
    const string Folder = "activations", Manifest = "activations.json", GradCamFile = "gradcam.png", InputFile = "input.png";
    const string SanityManifest = "sanity.json", RandomGradCamFile = "gradcam-random.png";

    /// <summary>The seed of the randomised weights: the same check gives the same answer every time.</summary>
    public const int SanitySeed = 1;

    /// <summary>
    /// The images of the run's data set the viewer may pick: the visible test images (with the run's probability), then
    /// the train and validation images none of whose content a leaderboard holds back. None when that data set can no
    /// longer be read.
    /// </summary>
    public async Task<IReadOnlyList<ResultImage>> PickableAsync(RunResults run, CancellationToken ct = default)
    {
        if (await DatasetOfAsync(run, ct) is not { } active) return [];
        var hidden = await HiddenAsync(run, active, ct);
        return [.. run.Test.Where(t => t.ImageId is not null), .. Enumerable.Range(0, active.Catalog.Count)
            .Where(index => Pickable(active.Catalog.Images[index], hidden))
            .Select(index => TrainOrValidation(active, index))];
    }

    /// <summary>A train or validation image none of whose content a leaderboard holds back (test images come from the run's results).</summary>
    static bool Pickable(ImageRecord image, IReadOnlySet<string> hidden) => image.Split != Split.Test && !hidden.Contains(image.RelativePath);

    static ResultImage TrainOrValidation(LoadedDataset active, int index) =>
        new(active.Catalog.Images[index].RelativePath, active.Catalog.Images[index].Label, float.NaN, active.IdOf(index));

    /// <summary>What the run's results already left out, or the held-back images of its data set.</summary>
    async Task<IReadOnlySet<string>> HiddenAsync(RunResults run, LoadedDataset active, CancellationToken ct) =>
        run.Hidden ?? await heldOut.PathsAsync(active.Catalog, ct);

    /// <summary>The data set the run trained on, or null when it can no longer be read.</summary>
    Task<LoadedDataset?> DatasetOfAsync(RunResults run, CancellationToken ct) => datasets.FindAsync(run.Run.DatasetId, ct);

    /// <summary>The cached set for this image, or null when it was not computed yet (or may not be seen).</summary>
    public async Task<ActivationSet?> CachedAsync(int runId, string imageId, CancellationToken ct = default)
    {
        var found = await FindAsync(runId, imageId, ct);
        return found.Image is null ? null : Read(found.Directory!);
    }

    /// <summary>
    /// Computes (or reads from the cache) the mosaics and Grad-CAM of one image of the run's data set the viewer may see;
    /// refused as not found otherwise, and as busy when the queue is full.
    /// </summary>
    public async Task<ActivationSet> ComputeAsync(int runId, string imageId, IProgress<ActivationProgress>? progress = null, CancellationToken ct = default)
    {
        var found = await FindAsync(runId, imageId, ct);
        if (found.Problem is { } problem) throw Refusal.NotFound(problem);
        var (results, image, directory, encoded) = (found.Results!, found.Image!, found.Directory!, found.Encoded!);
        if (Read(directory) is { } cached) return cached;

        var set = await queue.RunAsync(results.FolderPath, (run, say) =>
        {
            // Someone else may have asked for the same image while this request waited.
            if (Read(directory) is { } ready) return ready;
            var watch = Stopwatch.StartNew();
            var gray = run.Decode(encoded());
            // Test images carry the run's stored probability; train and validation images are predicted now.
            var probability = float.IsNaN(image.Probability) ? run.Predict(gray) : image.Probability;
            say("Computing the feature maps of every conv block");
            var mosaics = ActivationExplorer.Mosaics(run, gray);
            say("Computing Grad-CAM");
            var (camPng, _, _) = ActivationExplorer.GradCam(run, gray);
            say("Saving");
            var layers = mosaics.Select((m, i) => new ActivationLayer(m.Layer, m.Channels, m.ShownChannels, m.MapSize, $"layer-{i:D2}.png")).ToList();
            var computed = new ActivationSet(image.RelativePath, image.Label, probability, run.InputSize, Path.GetFileName(directory),
                layers, GradCamFile, InputFile, watch.Elapsed.TotalSeconds, DateTime.UtcNow);
            Save(directory, computed, mosaics.Select(m => m.Png).ToList(), camPng, ImageDecoder.EncodePng(gray, run.InputSize, run.InputSize));
            return computed with { FromCache = false };
        }, progress, ct);
        return set;
    }

    /// <summary>
    /// The sanity check of one image's Grad-CAM: its map from the trained network against the map from a copy with
    /// random weights, computed once (on the shared queue, after the image's activation set) and kept beside it.
    /// Refused like <see cref="ComputeAsync"/>.
    /// </summary>
    public async Task<GradCamSanity> SanityAsync(int runId, string imageId, IProgress<ActivationProgress>? progress = null, CancellationToken ct = default)
    {
        var set = await ComputeAsync(runId, imageId, progress, ct);
        var found = await FindAsync(runId, imageId, ct);
        if (found.Problem is { } problem) throw Refusal.NotFound(problem);
        var (results, directory, encoded) = (found.Results!, found.Directory!, found.Encoded!);
        if (ReadSanity(directory) is { } cached) return cached;
        return await queue.RunAsync(results.FolderPath, (run, say) =>
        {
            if (ReadSanity(directory) is { } ready) return ready;
            var watch = Stopwatch.StartNew();
            var gray = run.Decode(encoded());
            say("Computing Grad-CAM of the trained network");
            var (_, trained, _) = ActivationExplorer.GradCam(run, gray);
            say("Drawing the weights again at random and computing its Grad-CAM");
            using var randomised = ActivationExplorer.Randomised(run, SanitySeed);
            var (png, heat, _) = ActivationExplorer.GradCam(run, gray, randomised);
            var similarity = Core.Metrics.MapSimilarity.Of(trained, heat);
            var sanity = new GradCamSanity(set.Key, set.GradCamFile, RandomGradCamFile, double.IsNaN(similarity.Spearman) ? null : similarity.Spearman,
                similarity.Alike, similarity.Sentence(), SanitySeed, watch.Elapsed.TotalSeconds);
            // The picture first, then the manifest that says it is there; each written whole.
            var temp = Path.Combine(directory, $"{RandomGradCamFile}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
            File.WriteAllBytes(temp, png);
            File.Move(temp, Path.Combine(directory, RandomGradCamFile), overwrite: true);
            RunFolder.WriteAtomically(Path.Combine(directory, SanityManifest), JsonSerializer.Serialize(sanity, RunFolder.Json));
            return sanity;
        }, progress, ct);
    }

    /// <summary>
    /// One image's Grad-CAM overlay from the run in this folder, computed on the shared queue and kept nowhere: for
    /// callers that must not leave a trace in the run's activation cache (the practice set's second read). The caller
    /// has checked the viewer may have it.
    /// </summary>
    public Task<byte[]> GradCamUncachedAsync(string runFolder, byte[] encodedImage, CancellationToken ct = default) =>
        queue.RunAsync(runFolder, (run, _) => ActivationExplorer.GradCam(run, run.Decode(encodedImage)).Png, null, ct);

    /// <summary>The saved sanity check of an image's set, or null when it was not computed yet (or may not be seen).</summary>
    public async Task<GradCamSanity?> CachedSanityAsync(int runId, string imageId, CancellationToken ct = default)
    {
        var found = await FindAsync(runId, imageId, ct);
        return found.Image is null ? null : ReadSanity(found.Directory!);
    }

    static GradCamSanity? ReadSanity(string directory)
    {
        var manifest = Path.Combine(directory, SanityManifest);
        if (!File.Exists(manifest) || !File.Exists(Path.Combine(directory, RandomGradCamFile))) return null;
        try
        {
            return JsonSerializer.Deserialize<GradCamSanity>(File.ReadAllText(manifest), RunFolder.Json);
        }
        catch (JsonException)
        {
            return null; // a damaged check is computed again
        }
    }

    /// <summary>A cached PNG of a run the viewer may see, or null. Only names this service writes are served.</summary>
    public async Task<string?> FilePathAsync(int runId, string key, string file, CancellationToken ct = default)
    {
        if (!KeyPattern().IsMatch(key) || !FilePattern().IsMatch(file)) return null;
        if (await results.LoadAsync(runId, ct) is not { } run) return null;
        // Pictures computed before a leaderboard held the image back are not served any more (the key is its content).
        if (await heldOut.HoldsBackAsync(key, ct)) return null;
        var path = Path.Combine(run.FolderPath, Folder, key, file);
        return File.Exists(Path.Combine(run.FolderPath, Folder, key, Manifest)) && File.Exists(path) ? path : null;
    }

    sealed record Found(RunResults? Results, ResultImage? Image, string? Directory, Func<byte[]>? Encoded, string? Problem);

    async Task<Found> FindAsync(int runId, string imageId, CancellationToken ct)
    {
        if (await results.LoadAsync(runId, ct) is not { } run)
            return new Found(null, null, null, null, $"Run {runId} does not exist, has no test results yet, or is not yours to see.");
        // The run's visible test images (images a leaderboard holds back are not in Test), or a train/validation image
        // of the data set it trained on (as PickableAsync lists them). A held-back image is refused like an unknown one.
        if (await DatasetOfAsync(run, ct) is not { } active)
            return new Found(run, null, null, null, $"The data set run {runId} trained on can no longer be read on the server.");
        var image = run.Test.FirstOrDefault(t => t.ImageId is not null && t.ImageId == imageId);
        if (image is null && active.IndexOfId(imageId) is { } picked
            && Pickable(active.Catalog.Images[picked], await HiddenAsync(run, active, ct)))
            image = TrainOrValidation(active, picked);
        if (image is null || active.IndexOf(image.RelativePath) is not { } index)
            return new Found(run, null, null, null, $"Image {imageId} is not an image of this run's data set that you may see.");
        var record = active.Catalog.Images[index];
        var key = KeyOf(record, active.Catalog);
        return new Found(run, image, Path.Combine(run.FolderPath, Folder, key), () => active.Catalog.ReadAllBytes(record), null);
    }

    /// <summary>The image's content hash names its folder, so the cache stays right when the data set is re-imported.</summary>
    static string KeyOf(ImageRecord record, ImageCatalog catalog) =>
        KeyPattern().IsMatch(record.Md5.ToLowerInvariant())
            ? record.Md5.ToLowerInvariant()
            : Convert.ToHexStringLower(MD5.HashData(catalog.ReadAllBytes(record)));

    static ActivationSet? Read(string directory)
    {
        var manifest = Path.Combine(directory, Manifest);
        if (!File.Exists(manifest)) return null;
        try
        {
            return JsonSerializer.Deserialize<ActivationSet>(File.ReadAllText(manifest), RunFolder.Json) is { } set ? set with { FromCache = true } : null;
        }
        catch (JsonException)
        {
            return null; // a damaged cache is recomputed
        }
    }

    static void Save(string directory, ActivationSet set, IReadOnlyList<byte[]> mosaics, byte[] gradCam, byte[] input)
    {
        // Written to a temporary folder and renamed, so a reader never finds half a set.
        var temp = $"{directory}.{Guid.NewGuid().ToString("N")[..8]}.tmp";
        Directory.CreateDirectory(temp);
        try
        {
            for (var i = 0; i < mosaics.Count; i++) File.WriteAllBytes(Path.Combine(temp, set.Layers[i].File), mosaics[i]);
            File.WriteAllBytes(Path.Combine(temp, set.GradCamFile), gradCam);
            File.WriteAllBytes(Path.Combine(temp, set.InputFile), input);
            File.WriteAllText(Path.Combine(temp, Manifest), JsonSerializer.Serialize(set, RunFolder.Json));
            if (Directory.Exists(directory) && Read(directory) is not null) return; // another node saved it meanwhile
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); // an old, damaged set
            try { Directory.Move(temp, directory); }
            catch (IOException) when (Read(directory) is not null) { } // lost a race to an identical set
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(input|gradcam|gradcam-random|layer-\d{2})\.png$")]
    private static partial Regex FilePattern();
}

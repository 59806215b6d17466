using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Relabelling;
using PneumoniaPortal.Web.DoubtfulImages;

namespace PneumoniaPortal.Web.Tests.DoubtfulImages;

[Collection(DoubtfulCollection.Name)]
public sealed class DoubtfulQueueServiceTests(DoubtfulHost host)
{
    static Evidence? Of(DoubtfulEntry? entry, EvidenceKind kind) => entry?.Doubt.Evidence.FirstOrDefault(e => e.Kind == kind);

    [Fact]
    public async Task Doubtful_run_evidence_matches_the_finished_runs_stored_predictions()
    {
        var queue = await host.WithQueueAsync(q => q.QueueAsync());
        var stored = host.RunIds.Select(host.StoredPredictions).ToList();
        var hidden = await host.HeldBackAsync();
        Assert.Equal(3, queue.FinishedRuns);
        var visible = queue.Dataset.Catalog.Images.Where(i => !hidden.Contains(i.RelativePath)).ToList();
        double Against(Core.Dataset.ImageRecord image, float p) => image.Label == Label.Pneumonia ? 1 - p : p;
        List<string> Paths(Func<DoubtfulEntry, bool> has) => queue.Entries.Where(has).Select(e => e.Doubt.Image.RelativePath).Order(StringComparer.Ordinal).ToList();

        // Exactly the visible images some run was at least 90 % sure are the other label carry a confident disagreement.
        var confident = visible.Where(i => stored.Any(s => s.TryGetValue(i.RelativePath, out var p) && Against(i, p) >= 0.9))
            .Select(i => i.RelativePath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(confident, Paths(e => Of(e, EvidenceKind.ConfidentDisagreement) is not null));

        // Exactly those most of the three runs put on the other side of 50 % carry "most runs disagree", with the count.
        var outvoted = visible.Where(i => stored.Count(s => s.TryGetValue(i.RelativePath, out var p) && Against(i, p) >= 0.5) >= 2)
            .Select(i => i.RelativePath).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(outvoted);
        Assert.Equal(outvoted, Paths(e => Of(e, EvidenceKind.RunsDisagree) is not null));
        foreach (var entry in queue.Entries.Where(e => Of(e, EvidenceKind.RunsDisagree) is not null))
        {
            var against = stored.Count(s => Against(entry.Doubt.Image, s[entry.Doubt.Image.RelativePath]) >= 0.5);
            Assert.StartsWith($"{against} of 3 runs predict", Of(entry, EvidenceKind.RunsDisagree)!.Reason);
        }

        // The detail panel's summary is the stored probabilities themselves.
        var image = visible.First(i => outvoted.Contains(i.RelativePath));
        var detail = await host.WithQueueAsync(q => q.DetailAsync(queue.Dataset.IndexOf(image.RelativePath)!.Value));
        var probabilities = stored.Select(s => s[image.RelativePath]).ToList();
        Assert.NotNull(detail?.Runs);
        Assert.Equal((3, probabilities.Count(p => p >= 0.5f), probabilities.Min(), probabilities.Max()),
            (detail.Runs.Runs, detail.Runs.SayPneumonia, detail.Runs.MinProbability, detail.Runs.MaxProbability));
        Assert.Equal(probabilities.Average(), detail.Runs.MeanProbability, 5);
    }

    [Fact]
    public async Task Doubtful_byte_identical_copy_with_the_other_label_ranks_with_a_duplicate_conflict()
    {
        var entries = await host.WithQueueAsync(q => q.RankAsync());
        var copy = entries.SingleOrDefault(e => e.Doubt.Image.RelativePath == DoubtfulHost.ExactCopy);
        var source = entries.SingleOrDefault(e => e.Doubt.Image.RelativePath == host.ExactSource);

        Assert.Contains(host.ExactSource, Of(copy, EvidenceKind.DuplicateConflict)?.Reason);
        Assert.Contains("labelled NORMAL", Of(copy, EvidenceKind.DuplicateConflict)!.Reason);
        Assert.Contains(DoubtfulHost.ExactCopy, Of(source, EvidenceKind.DuplicateConflict)?.Reason);
        // The strongest single kind of evidence: both files rank in the top of the queue.
        Assert.True(entries.Take(4).Count(e => e.Doubt.Image.RelativePath is DoubtfulHost.ExactCopy || e.Doubt.Image.RelativePath == host.ExactSource) == 2,
            string.Join("\n", entries.Take(6).Select(e => $"{e.Doubt.Score} {e.Doubt.Image.RelativePath}")));

        var detail = await host.WithQueueAsync(q => q.DetailAsync(copy!.Index));
        // Its byte-identical twin (the sample also holds near-duplicates, which are listed as such).
        var twin = Assert.Single(detail!.Twins, t => t.Exact);
        Assert.Equal((host.ExactSource, 0), (twin.Image.RelativePath, twin.Distance));
    }

    [Fact]
    public async Task Doubtful_resized_reencoded_copy_with_the_other_label_ranks_with_a_near_duplicate_conflict()
    {
        var entries = await host.WithQueueAsync(q => q.RankAsync());
        var copy = entries.SingleOrDefault(e => e.Doubt.Image.RelativePath == DoubtfulHost.NearCopy);
        var source = entries.SingleOrDefault(e => e.Doubt.Image.RelativePath == host.NearSource);

        Assert.Contains(host.NearSource, Of(copy, EvidenceKind.NearDuplicateConflict)?.Reason);
        Assert.Contains(DoubtfulHost.NearCopy, Of(source, EvidenceKind.NearDuplicateConflict)?.Reason);
        Assert.Null(Of(copy, EvidenceKind.DuplicateConflict));

        var detail = await host.WithQueueAsync(q => q.DetailAsync(copy!.Index));
        var twin = Assert.Single(detail!.Twins);
        Assert.Equal(host.NearSource, twin.Image.RelativePath);
        Assert.False(twin.Exact);
        Assert.InRange(twin.Distance, 0, NearDuplicateIndex.MaxDistance);
    }

    [Fact]
    public async Task Doubtful_queue_never_shows_or_names_an_image_a_leaderboard_holds_back()
    {
        var hidden = await host.HeldBackAsync();
        var leakedHidden = host.LeakedTestImages.Keys.Where(hidden.Contains).ToList();
        var leakedShown = host.LeakedTestImages.Keys.Where(p => !hidden.Contains(p)).ToList();
        Assert.NotEmpty(leakedHidden);
        Assert.NotEmpty(leakedShown);

        var queue = await host.WithQueueAsync(q => q.QueueAsync());
        Assert.DoesNotContain(queue.Entries, e => hidden.Contains(e.Doubt.Image.RelativePath));
        Assert.DoesNotContain(queue.Entries, e => e.Doubt.Evidence.Any(x => hidden.Any(h => x.Reason.Contains(h, StringComparison.Ordinal))));
        // A visible leaked test image is flagged; the train copy of a held-back one is held back too, by its content.
        foreach (var path in leakedShown)
            Assert.Contains(queue.Entries, e => e.Doubt.Image.RelativePath == path && Of(e, EvidenceKind.SplitLeakage) is not null);
        foreach (var path in leakedHidden)
        {
            var trainCopy = queue.Dataset.IndexOf(host.LeakedTestImages[path])!.Value;
            Assert.DoesNotContain(queue.Entries, e => e.Index == trainCopy);
            Assert.Null(await host.WithQueueAsync(q => q.DetailAsync(trainCopy)));
            Assert.Null(await host.WithQueueAsync(q => q.DetailAsync(queue.Dataset.IndexOf(path)!.Value)));
        }

        var response = await host.Student.Http.GetAsync("api/relabel/doubtful?take=10000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(hidden, body.Contains);
    }

    [Fact]
    public async Task Doubtful_api_returns_the_top_of_the_queue_with_reasons_in_words()
    {
        var response = await host.Student.Http.GetAsync("api/relabel/doubtful?take=3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var entries = await host.WithQueueAsync(q => q.RankAsync());

        Assert.Equal(entries.Count, json.GetProperty("total").GetInt32());
        Assert.Equal(3, json.GetProperty("finishedRuns").GetInt32());
        var items = json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(entries.Take(3).Select(e => e.Doubt.Image.RelativePath), items.Select(i => i.GetProperty("path").GetString()));
        Assert.All(items, i => Assert.NotEmpty(i.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("text").GetString())));

        using var anonymous = host.NewClient();
        var refused = await anonymous.Http.GetAsync("api/relabel/doubtful");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task Doubtful_near_duplicate_hashes_are_computed_once_per_data_set_and_read_back_from_disk()
    {
        var index = host.Services.GetRequiredService<NearDuplicateIndex>();
        var cache = host.Services.GetRequiredService<DoubtfulQueueCache>();
        var active = await host.DefaultDatasetAsync();
        await host.WithQueueAsync(q => q.RankAsync());
        Assert.Equal(active.Catalog.Count, index.ImagesHashed);

        cache.Clear();
        var builds = cache.Builds;
        await host.WithQueueAsync(q => q.RankAsync());
        Assert.Equal(builds + 1, cache.Builds);
        Assert.Equal(active.Catalog.Count, index.ImagesHashed);

        // A portal started again (a new index) reads the hashes from the cache folder instead of decoding the images.
        var restarted = new NearDuplicateIndex(host.Services.GetRequiredService<PortalPaths>(), NullLogger<NearDuplicateIndex>.Instance);
        var again = await restarted.GetAsync(active.Catalog);
        Assert.Equal(0, restarted.ImagesHashed);
        Assert.Equal((await index.GetAsync(active.Catalog)).Hashes, again.Hashes);
        Assert.Contains(again.Groups, g => g.Contains(active.IndexOf(DoubtfulHost.NearCopy)!.Value) && g.Contains(active.IndexOf(host.NearSource)!.Value));
    }

    [Fact]
    public async Task Doubtful_ranking_is_shared_between_visitors_until_its_inputs_change()
    {
        await host.WithQueueAsync(q => q.RankAsync());
        var cache = host.Services.GetRequiredService<DoubtfulQueueCache>();
        var builds = cache.Builds;
        var first = await host.WithQueueAsync(q => q.RankAsync());
        var second = await host.WithQueueAsync(q => q.RankAsync());
        Assert.Same(first, second);
        Assert.Equal(builds, cache.Builds);
    }
}

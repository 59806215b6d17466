using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>The doubtful queue as <c>GET /api/relabel/doubtful?take=N</c> returns it.</summary>
public sealed record DoubtfulQueueApi(int Total, int FinishedRuns, int BlindAnswers, int NearDuplicateGroups, IReadOnlyList<DoubtfulQueueApi.Item> Entries)
{
    public const int DefaultTake = 50, MaxTake = 10_000;

    public sealed record Item(string Id, string Path, string Split, string Label, string Subtype, double Score, IReadOnlyList<Reason> Evidence);

    public sealed record Reason(string Kind, double Weight, string Text);

    public static DoubtfulQueueApi From(DoubtfulQueue queue, int take) => new(
        queue.Entries.Count, queue.FinishedRuns, queue.BlindAnswers, queue.NearDuplicateGroups,
        queue.Entries.Take(Math.Clamp(take, 1, MaxTake)).Select(e => new Item(
            queue.Dataset.IdOf(e.Index), e.Doubt.Image.RelativePath, KaggleLayout.FolderName(e.Doubt.Image.Split), KaggleLayout.FolderName(e.Doubt.Image.Label),
            e.Doubt.Image.Subtype, e.Doubt.Score,
            e.Doubt.Evidence.Select(x => new Reason(x.Kind.ToString(), x.Weight, x.Reason)).ToList())).ToList());
}

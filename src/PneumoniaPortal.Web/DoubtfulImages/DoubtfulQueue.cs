using PneumoniaPortal.Web.Dataset;

namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>The ranked queue with what fed it (for the "how the queue fills" message).</summary>
public sealed record DoubtfulQueue(LoadedDataset Dataset, IReadOnlyList<DoubtfulEntry> Entries, int FinishedRuns, int BlindAnswers, int NearDuplicateGroups);

using PneumoniaPortal.Core.Dataset;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>A data set derived by a re-split: the stored set, its source, the settings, and the counts before and after.</summary>
public sealed record DatasetResplitResult(DatasetImportResult Dataset, string SourceName, ResplitSettings Settings,
    IReadOnlyList<ResplitCount> Counts, int Groups, int Moved);

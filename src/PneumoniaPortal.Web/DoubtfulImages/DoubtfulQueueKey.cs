namespace PneumoniaPortal.Web.DoubtfulImages;

/// <summary>What the ranking depends on; the held-back set is compared by reference (HeldOutImages hands out one per set of leaderboards).</summary>
public sealed record DoubtfulQueueKey(int DatasetId, string ContentFingerprint, int LabelVersion, IReadOnlySet<string> Hidden, string Runs, int BlindAnswers);
